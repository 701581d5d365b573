// Builds EventRecords of project events for the tracker projection tests.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_TRACKER_TEST_SUPPORT_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_TRACKER_TEST_SUPPORT_H_

#include <cstdint>
#include <string>

#include "coopcraft/v1/event_record.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "services/app/event_envelope.h"
#include "services/projections/projection.h"

namespace coopcraft::testing {

inline coopcraft::v1::Date Day(int year, int month, int day) {
  coopcraft::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline coopcraft::v1::Money Cents(int64_t cents) {
  coopcraft::v1::Money money;
  money.set_cents(cents);
  return money;
}

// Feeds project events to a projection as the engine would, with
// increasing positions.
class EventFeed {
 public:
  explicit EventFeed(projections::Projection& projection)
      : projection_(projection) {}

  void Give(const std::string& project_id,
            const coopcraft::v1::ProjectEvent& event) {
    auto packed = app::PackEnvelope(event);
    if (!packed.ok()) return;
    coopcraft::v1::EventRecord record;
    record.set_position(++position_);
    record.set_stream("project-" + project_id);
    record.set_type(packed->type);
    record.set_payload(packed->payload);
    projections::ApplyRecord(record, projection_);
  }

  void Open(const std::string& project_id) {
    coopcraft::v1::ProjectEvent event;
    event.mutable_project_opened()->set_project_id(project_id);
    Give(project_id, event);
  }

  uint64_t position() const { return position_; }

 private:
  projections::Projection& projection_;
  uint64_t position_ = 0;
};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_TRACKER_TEST_SUPPORT_H_
