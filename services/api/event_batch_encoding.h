// Subscription messages assembled from events encoded once. A commit's
// events go to every subscriber at the tail; encoding each event once and
// writing the same bytes to all of them (by reference, through gRPC slices)
// spares a protobuf copy, clear and serialisation per subscriber and event.
//
// The bytes are exactly what SubscribeResponse::SerializeAsString gives for
// a response whose batch holds the same events: a repeated message field
// is the concatenation of its entries, so entries encoded apart can be
// joined behind one length prefix.
#ifndef COOPCRAFT_SERVICES_API_EVENT_BATCH_ENCODING_H_
#define COOPCRAFT_SERVICES_API_EVENT_BATCH_ENCODING_H_

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <cstddef>
#include <string>
#include <vector>

#include "coopcraft/v1/event_stream_service.pb.h"

namespace coopcraft::api {

// `event` as one entry of EventBatch.events: tag, length, message bytes.
// The slice is reference-counted; copies share the bytes.
grpc::Slice EncodeBatchEntry(const coopcraft::v1::RecordedEvent& event);

// Builds one SubscribeResponse carrying an EventBatch. Not thread-safe.
class EventBatchEncoder {
 public:
  // Appends an entry from EncodeBatchEntry, by reference.
  void AddEntry(const grpc::Slice& entry);
  // Appends `event`, encoded here (for events no other subscriber shares).
  void Add(const coopcraft::v1::RecordedEvent& event);

  size_t events() const { return events_; }

  // The whole response, sharing the entries' bytes; the encoder is empty
  // afterwards and may be reused.
  grpc::ByteBuffer Take();

 private:
  // Moves the bytes encoded here so far into a piece of their own.
  void FlushOwn();

  std::vector<grpc::Slice> pieces_;
  std::string own_;
  size_t bytes_ = 0;
  size_t events_ = 0;
};

// `response` serialised by gRPC's protobuf serializer, for messages that
// are not shared (checkpoints, heartbeats).
grpc::ByteBuffer SerializeResponse(
    const coopcraft::v1::SubscribeResponse& response);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_EVENT_BATCH_ENCODING_H_
