// Hand-assembled wire format of SubscribeResponse{events: EventBatch}.
#include "services/api/event_batch_encoding.h"

#include <grpc/slice.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <cstdint>
#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace coopcraft::api {
namespace {

using ::google::protobuf::internal::WireFormatLite;
using ::google::protobuf::io::CodedOutputStream;

// The tag of a length-delimited field `number`.
uint32_t LengthDelimitedTag(int number) {
  return WireFormatLite::MakeTag(number,
                                 WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
}

// Tag and length prefix of field `number` holding `length` bytes, written
// at `out` (room for 10 bytes); returns the end.
uint8_t* WritePrefix(int number, size_t length, uint8_t* out) {
  out =
      CodedOutputStream::WriteVarint32ToArray(LengthDelimitedTag(number), out);
  return CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(length),
                                                 out);
}

// Two varint32s at most.
constexpr size_t kMaxPrefixBytes = 10;

}  // namespace

grpc::Slice EncodeBatchEntry(const coopcraft::v1::RecordedEvent& event) {
  const size_t size = event.ByteSizeLong();
  uint8_t prefix[kMaxPrefixBytes];
  const size_t prefix_size =
      WritePrefix(coopcraft::v1::EventBatch::kEventsFieldNumber, size, prefix) -
      prefix;
  grpc_slice slice = grpc_slice_malloc(prefix_size + size);
  uint8_t* out = GRPC_SLICE_START_PTR(slice);
  std::copy(prefix, prefix + prefix_size, out);
  event.SerializeWithCachedSizesToArray(out + prefix_size);
  return grpc::Slice(slice, grpc::Slice::STEAL_REF);
}

void EventBatchEncoder::AddEntry(const grpc::Slice& entry) {
  FlushOwn();
  pieces_.push_back(entry);
  bytes_ += entry.size();
  ++events_;
}

void EventBatchEncoder::Add(const coopcraft::v1::RecordedEvent& event) {
  const size_t size = event.ByteSizeLong();
  const size_t start = own_.size();
  own_.resize(start + kMaxPrefixBytes + size);
  auto* out = reinterpret_cast<uint8_t*>(own_.data() + start);
  out = WritePrefix(coopcraft::v1::EventBatch::kEventsFieldNumber, size, out);
  out = event.SerializeWithCachedSizesToArray(out);
  own_.resize(reinterpret_cast<char*>(out) - own_.data());
  bytes_ += own_.size() - start;
  ++events_;
}

void EventBatchEncoder::FlushOwn() {
  if (own_.empty()) return;
  pieces_.emplace_back(own_);
  own_.clear();
}

grpc::ByteBuffer EventBatchEncoder::Take() {
  FlushOwn();
  uint8_t header[kMaxPrefixBytes];
  const size_t header_size =
      WritePrefix(coopcraft::v1::SubscribeResponse::kEventsFieldNumber, bytes_,
                  header) -
      header;
  std::vector<grpc::Slice> slices;
  slices.reserve(pieces_.size() + 1);
  slices.emplace_back(header, header_size);
  for (grpc::Slice& piece : pieces_) slices.push_back(std::move(piece));
  grpc::ByteBuffer buffer(slices.data(), slices.size());
  pieces_.clear();
  bytes_ = 0;
  events_ = 0;
  return buffer;
}

grpc::ByteBuffer SerializeResponse(
    const coopcraft::v1::SubscribeResponse& response) {
  grpc::ByteBuffer buffer;
  bool own_buffer = false;
  // Fails only for a message over 2 GiB; a checkpoint or heartbeat is a
  // few bytes.
  (void)grpc::SerializationTraits<coopcraft::v1::SubscribeResponse>::Serialize(
      response, &buffer, &own_buffer);
  return buffer;
}

}  // namespace coopcraft::api
