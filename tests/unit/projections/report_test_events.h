// Event records for the report projections' unit tests, built in memory so
// a test can set each record's stream, position and commit time.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_REPORT_TEST_EVENTS_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_REPORT_TEST_EVENTS_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/event_record.pb.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "services/app/event_envelope.h"

namespace coopcraft::testing {

inline coopcraft::v1::Date Day(int year, int month, int day) {
  coopcraft::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// Numbers records 1, 2, 3, ... as the log would.
class RecordMaker {
 public:
  // `envelope` is an aggregate's event envelope (ProjectEvent, CallEvent,
  // ...); the record is committed at noon UTC on `committed`.
  coopcraft::v1::EventRecord Make(
      const std::string& stream, const google::protobuf::Message& envelope,
      const coopcraft::v1::Date& committed = Day(2026, 1, 1)) {
    coopcraft::v1::EventRecord record;
    auto packed = app::PackEnvelope(envelope);
    EXPECT_TRUE(packed.ok()) << packed.status();
    if (!packed.ok()) return record;
    record.set_position(++position_);
    record.set_stream(stream);
    record.set_type(packed->type);
    record.set_payload(packed->payload);
    record.set_recorded_at_micros(absl::ToUnixMicros(
        absl::FromCivil(absl::CivilSecond(committed.year(), committed.month(),
                                          committed.day(), 12, 0, 0),
                        absl::UTCTimeZone())));
    return record;
  }

 private:
  uint64_t position_ = 0;
};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_REPORT_TEST_EVENTS_H_
