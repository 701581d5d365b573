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

// Bytes of one EventBatch.events entry whose message is `size` bytes.
size_t EntrySize(size_t size) {
  return CodedOutputStream::VarintSize32(LengthDelimitedTag(
             coopcraft::v1::EventBatch::kEventsFieldNumber)) +
         CodedOutputStream::VarintSize32(static_cast<uint32_t>(size)) + size;
}

// Writes the entry of `event` (whose cached size is `size`) at `out`, which
// has room for EntrySize(size) bytes; returns the end.
uint8_t* WriteEntry(const coopcraft::v1::RecordedEvent& event, size_t size,
                    uint8_t* out) {
  out = WritePrefix(coopcraft::v1::EventBatch::kEventsFieldNumber, size, out);
  return event.SerializeWithCachedSizesToArray(out);
}

}  // namespace

grpc::Slice EncodeBatchEntry(const coopcraft::v1::RecordedEvent& event) {
  const size_t size = event.ByteSizeLong();
  grpc_slice slice = grpc_slice_malloc(EntrySize(size));
  WriteEntry(event, size, GRPC_SLICE_START_PTR(slice));
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
  const size_t entry_size = EntrySize(size);
  const size_t start = own_.size();
  own_.resize(start + entry_size);
  WriteEntry(event, size, reinterpret_cast<uint8_t*>(own_.data() + start));
  bytes_ += entry_size;
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
