// Stored record -> RecordedEvent.
#include "services/api/recorded_event.h"

namespace coopcraft::api {

void ToRecordedEvent(const coopcraft::v1::EventRecord& record,
                     coopcraft::v1::RecordedEvent* out) {
  out->set_position(record.position());
  out->set_stream(record.stream());
  out->set_revision(record.revision());
  out->set_event_id(record.event_id());
  out->set_type(record.type());
  // Floor division keeps pre-1970 times valid (nanos must be >= 0).
  int64_t seconds = record.recorded_at_micros() / 1000000;
  int64_t micros = record.recorded_at_micros() % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  out->mutable_recorded_at()->set_seconds(seconds);
  out->mutable_recorded_at()->set_nanos(static_cast<int32_t>(micros * 1000));
  if (record.has_metadata()) *out->mutable_metadata() = record.metadata();
  out->mutable_payload()->set_type_url("type.googleapis.com/" + record.type());
  out->mutable_payload()->set_value(record.payload());
}

}  // namespace coopcraft::api
