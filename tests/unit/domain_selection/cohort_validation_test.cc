// Field validation of CohortService commands: each bad field comes back as
// INVALID_ARGUMENT with a google.rpc.BadRequest naming it.
#include "services/api/validation/cohort_validation.h"

#include <string>
#include <vector>

#include "bad_field_case.h"
#include "gtest/gtest.h"
#include "scenario.h"
#include "selection_fixtures.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::testing {
namespace {

TEST(CohortValidationTest, FixtureRequestIsValid) {
  EXPECT_TRUE(api::Validate(RecordMeeting()).ok());
}

TEST(CohortValidationTest, AbsencesAndSpeakingTimesAreOptional) {
  EXPECT_TRUE(api::Validate(With(RecordMeeting(), [](auto& c) {
                c.clear_absences();
                for (auto& item : *c.mutable_agenda_items()) {
                  item.clear_speaking_times();
                }
              })).ok());
}

const std::vector<BadFieldCase>& Cases() {
  static const auto* cases = new std::vector<BadFieldCase>{
      Bad(
          "WithoutRequestId", RecordMeeting(),
          [](auto& c) { c.clear_request_id(); }, "request_id"),
      Bad(
          "WithoutCallId", RecordMeeting(), [](auto& c) { c.clear_call_id(); },
          "call_id"),
      Bad(
          "CallIdWithSlash", RecordMeeting(),
          [](auto& c) { c.set_call_id("dm/2026"); }, "call_id"),
      Bad(
          "WithoutMeetingId", RecordMeeting(),
          [](auto& c) { c.clear_meeting_id(); }, "meeting_id"),
      Bad(
          "WithoutDate", RecordMeeting(), [](auto& c) { c.clear_held_on(); },
          "held_on"),
      Bad(
          "ImpossibleDate", RecordMeeting(kMeeting, D(2026, 2, 29)),
          [](auto&) {}, "held_on"),
      Bad(
          "WithoutFacilitator", RecordMeeting(),
          [](auto& c) { c.clear_facilitator_id(); }, "facilitator_id"),
      Bad(
          "TooShort", RecordMeeting(),
          [](auto& c) { c.set_duration_minutes(10); }, "duration_minutes"),
      Bad(
          "TooLong", RecordMeeting(),
          [](auto& c) { c.set_duration_minutes(481); }, "duration_minutes"),
      Bad(
          "BadPresentId", RecordMeeting(),
          [](auto& c) { c.set_present_project_ids(1, ""); },
          "present_project_ids[1]"),
      Bad(
          "TooManyPresent", RecordMeeting(),
          [](auto& c) {
            for (int i = 0; i < 99; ++i) {
              c.add_present_project_ids("proj-x" + std::to_string(i));
            }
          },
          "present_project_ids"),
      Bad(
          "BadAbsentId", RecordMeeting(),
          [](auto& c) { c.mutable_absences(0)->set_project_id("Proj C"); },
          "absences[0].project_id"),
      Bad(
          "WithoutAgenda", RecordMeeting(),
          [](auto& c) { c.clear_agenda_items(); }, "agenda_items"),
      Bad(
          "AgendaItemWithoutKind", RecordMeeting(),
          [](auto& c) { c.mutable_agenda_items(1)->clear_kind(); },
          "agenda_items[1].kind"),
      Bad(
          "AgendaItemUnknownKind", RecordMeeting(),
          [](auto& c) {
            c.mutable_agenda_items(0)->set_kind(v1::AgendaItemKind(12));
          },
          "agenda_items[0].kind"),
      Bad(
          "AgendaItemBlankTopic", RecordMeeting(),
          [](auto& c) { c.mutable_agenda_items(0)->set_topic(""); },
          "agenda_items[0].topic"),
      Bad(
          "AgendaItemOversizeTopic", RecordMeeting(),
          [](auto& c) {
            c.mutable_agenda_items(0)->set_topic(
                std::string(api::kMaxShortText + 1, 't'));
          },
          "agenda_items[0].topic"),
      Bad(
          "AgendaItemWithoutDuration", RecordMeeting(),
          [](auto& c) { c.mutable_agenda_items(1)->set_duration_minutes(0); },
          "agenda_items[1].duration_minutes"),
      Bad(
          "SpeakerWithoutProject", RecordMeeting(),
          [](auto& c) {
            c.mutable_agenda_items(1)
                ->mutable_speaking_times(0)
                ->clear_project_id();
          },
          "agenda_items[1].speaking_times[0].project_id"),
      Bad(
          "NegativeSpeakingTime", RecordMeeting(),
          [](auto& c) {
            c.mutable_agenda_items(0)->mutable_speaking_times(1)->set_minutes(
                -5);
          },
          "agenda_items[0].speaking_times[1].minutes"),
  };
  return *cases;
}

INSTANTIATE_TEST_SUITE_P(CohortRequests, BadFieldTest,
                         ::testing::ValuesIn(Cases()), BadFieldCaseName);

}  // namespace
}  // namespace coopcraft::testing
