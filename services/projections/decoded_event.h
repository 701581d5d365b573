// DecodedEvent: one log record with its payload parsed once, so the eight
// projections folding it share one decode instead of parsing it eight times.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_DECODED_EVENT_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_DECODED_EVENT_H_

#include <cstdint>
#include <string>

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/event_record.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "google/protobuf/arena.h"

namespace coopcraft::projections {

// Not thread-safe to decode; once decoded, any number of threads may read
// it at once. It keeps what views need of the record (position, commit
// time, aggregate id) and parses the payload into the caller's arena, so a
// chunk of events costs one arena reset instead of thousands of frees.
class DecodedEvent {
 public:
  // Decodes `record` by its stream: a "project-", "call-", "application-"
  // or "cohort-" stream's event fills the matching envelope, allocated on
  // `arena`. `record` may go away afterwards; `arena` must outlive this
  // decode and must not be reset while the event is in use.
  void Decode(const coopcraft::v1::EventRecord& record,
              google::protobuf::Arena& arena);

  uint64_t position() const { return position_; }
  int64_t recorded_at_micros() const { return recorded_at_micros_; }

  // Each accessor returns the event when the record is that aggregate's and
  // its payload parsed, else nullptr: a view skips other aggregates' events
  // and corrupt payloads alike, because the log's hash chain, not a view, is
  // where corruption is reported.
  const coopcraft::v1::ProjectEvent* project_event() const {
    return kind_ == Kind::kProject ? project_ : nullptr;
  }
  const coopcraft::v1::CallEvent* call_event() const {
    return kind_ == Kind::kCall ? call_ : nullptr;
  }
  const coopcraft::v1::ApplicationEvent* application_event() const {
    return kind_ == Kind::kApplication ? application_ : nullptr;
  }
  const coopcraft::v1::CohortEvent* cohort_event() const {
    return kind_ == Kind::kCohort ? cohort_ : nullptr;
  }

  // The aggregate's id: the stream name without its prefix (for a project
  // event, the project id). Empty when no accessor above returns an event.
  const std::string& aggregate_id() const { return aggregate_id_; }

 private:
  enum class Kind { kNone, kProject, kCall, kApplication, kCohort };

  uint64_t position_ = 0;
  int64_t recorded_at_micros_ = 0;
  Kind kind_ = Kind::kNone;
  std::string aggregate_id_;
  // On the caller's arena; only the one of kind_ is current.
  coopcraft::v1::ProjectEvent* project_ = nullptr;
  coopcraft::v1::CallEvent* call_ = nullptr;
  coopcraft::v1::ApplicationEvent* application_ = nullptr;
  coopcraft::v1::CohortEvent* cohort_ = nullptr;
};

// Arena options sized for decoding a chunk of events: blocks large enough
// that a chunk needs few of them.
google::protobuf::ArenaOptions DecodeArenaOptions();

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_DECODED_EVENT_H_
