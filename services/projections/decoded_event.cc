// DecodedEvent: which aggregate a record belongs to, and its payload.
#include "services/projections/decoded_event.h"

#include <string_view>

#include "services/app/event_envelope.h"

namespace coopcraft::projections {
namespace {

template <typename Message>
Message* New(google::protobuf::Arena& arena) {
  return google::protobuf::Arena::CreateMessage<Message>(&arena);
}

// If `stream` starts with `prefix`, sets `id` to the rest.
bool TakeId(std::string_view stream, std::string_view prefix, std::string& id) {
  if (stream.substr(0, prefix.size()) != prefix) return false;
  id.assign(stream.substr(prefix.size()));
  return true;
}

}  // namespace

google::protobuf::ArenaOptions DecodeArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 * 1024;
  options.max_block_size = 256 * 1024;
  return options;
}

void DecodedEvent::Decode(const coopcraft::v1::EventRecord& record,
                          google::protobuf::Arena& arena) {
  position_ = record.position();
  recorded_at_micros_ = record.recorded_at_micros();
  kind_ = Kind::kNone;
  const std::string_view stream = record.stream();
  google::protobuf::Message* envelope = nullptr;
  Kind kind = Kind::kNone;
  if (TakeId(stream, "project-", aggregate_id_)) {
    envelope = project_ = New<coopcraft::v1::ProjectEvent>(arena);
    kind = Kind::kProject;
  } else if (TakeId(stream, "application-", aggregate_id_)) {
    envelope = application_ = New<coopcraft::v1::ApplicationEvent>(arena);
    kind = Kind::kApplication;
  } else if (TakeId(stream, "call-", aggregate_id_)) {
    envelope = call_ = New<coopcraft::v1::CallEvent>(arena);
    kind = Kind::kCall;
  } else if (TakeId(stream, "cohort-", aggregate_id_)) {
    envelope = cohort_ = New<coopcraft::v1::CohortEvent>(arena);
    kind = Kind::kCohort;
  }
  if (envelope != nullptr && app::UnpackEnvelope(record, envelope).ok()) {
    kind_ = kind;
  } else {
    aggregate_id_.clear();
  }
}

}  // namespace coopcraft::projections
