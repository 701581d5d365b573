// Rules of a cohort's weekly group meetings: one per day, coherent
// attendance, and speaking times that fit the agenda.
#include "gtest/gtest.h"
#include "scenario.h"
#include "selection_fixtures.h"

namespace coopcraft::testing {
namespace {

using domain::cohort::CohortState;
using domain::cohort::CohortStream;
using domain::selection::CallState;

CallState OpenCallState() {
  return Fold<CallState>(std::vector<v1::CallEvent>{CallOpened()});
}

TEST(CohortStreamTest, IsNamedAfterTheCall) {
  EXPECT_EQ(CohortStream("dm-2026"), "cohort-dm-2026");
}

TEST(RecordGroupMeetingTest, RecordsAttendanceAndAgenda) {
  Given(kNoCohort)
      .When(RecordMeeting(), OpenCallState())
      .Then({MeetingRecorded()});
}

TEST(RecordGroupMeetingTest, NextWeeksMeetingIsRecorded) {
  Given({MeetingRecorded()})
      .When(RecordMeeting("gm-2", D(2026, 2, 16)), OpenCallState())
      .Then({MeetingRecorded("gm-2", D(2026, 2, 16))});
}

TEST(RecordGroupMeetingTest, UnknownCallIsNotFound) {
  Given(kNoCohort)
      .When(RecordMeeting(), CallState())
      .ThenFails(absl::StatusCode::kNotFound, "CALL_NOT_FOUND");
}

TEST(RecordGroupMeetingTest, MeetingIdIsUnique) {
  Given({MeetingRecorded()})
      .When(RecordMeeting(kMeeting, D(2026, 2, 16)), OpenCallState())
      .ThenRefuses("MEETING_ALREADY_RECORDED");
}

TEST(RecordGroupMeetingTest, OneMeetingPerDay) {
  Given({MeetingRecorded()})
      .When(RecordMeeting("gm-2"), OpenCallState())
      .ThenRefuses("MEETING_DAY_TAKEN");
}

TEST(RecordGroupMeetingTest, CohortCannotMeetBeforeItsCallOpened) {
  Given(kNoCohort)
      .When(RecordMeeting(kMeeting, D(2026, 1, 2)), OpenCallState())
      .ThenRefuses("MEETING_BEFORE_CALL_OPENED");
}

TEST(RecordGroupMeetingTest, MeetingInTheFutureIsRefused) {
  Given(kNoCohort)
      .When(RecordMeeting(kMeeting, D(2026, 2, 17)), OpenCallState())
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(RecordGroupMeetingTest, PresentTwiceIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) { c.add_present_project_ids("proj-a"); }),
            OpenCallState())
      .ThenRefuses("ATTENDEE_LISTED_TWICE");
}

TEST(RecordGroupMeetingTest, AbsentTwiceIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) { *c.add_absences() = Absent("proj-c", false); }),
            OpenCallState())
      .ThenRefuses("ATTENDEE_LISTED_TWICE");
}

TEST(RecordGroupMeetingTest, PresentAndAbsentAtOnceIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) { *c.add_absences() = Absent("proj-a", true); }),
            OpenCallState())
      .ThenRefuses("ATTENDEE_BOTH_PRESENT_AND_ABSENT");
}

TEST(RecordGroupMeetingTest, MeetingWithNobodyPresentIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) {
                   c.clear_present_project_ids();
                   for (auto& item : *c.mutable_agenda_items()) {
                     item.clear_speaking_times();
                   }
                 }),
            OpenCallState())
      .ThenRefuses("MEETING_WITHOUT_ATTENDEES");
}

TEST(RecordGroupMeetingTest, OnlyPresentWorkersSpeak) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) {
                   *c.mutable_agenda_items(0)->add_speaking_times() =
                       Spoke("proj-c", 5);
                 }),
            OpenCallState())
      .ThenRefuses("SPEAKER_NOT_PRESENT");
}

TEST(RecordGroupMeetingTest, OneSpeakingTimePerWorkerAndItem) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) {
                   *c.mutable_agenda_items(0)->add_speaking_times() =
                       Spoke("proj-a", 5);
                 }),
            OpenCallState())
      .ThenRefuses("SPEAKER_LISTED_TWICE");
}

TEST(RecordGroupMeetingTest, SpeakingTimeMayFillTheItem) {
  auto fill = [](auto& m) {
    m.mutable_agenda_items(0)->mutable_speaking_times(1)->set_minutes(35);
  };
  Given(kNoCohort)
      .When(With(RecordMeeting(), fill), OpenCallState())
      .Then({With(MeetingRecorded(), [&](auto& e) {
        fill(*e.mutable_group_meeting_recorded());
      })});
}

TEST(RecordGroupMeetingTest, SpeakingTimeBeyondTheItemIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(),
                 [](auto& c) {
                   c.mutable_agenda_items(0)
                       ->mutable_speaking_times(1)
                       ->set_minutes(36);
                 }),
            OpenCallState())
      .ThenRefuses("SPEAKING_TIME_EXCEEDS_ITEM");
}

TEST(RecordGroupMeetingTest, AgendaLongerThanTheMeetingIsRefused) {
  Given(kNoCohort)
      .When(With(RecordMeeting(), [](auto& c) { c.set_duration_minutes(104); }),
            OpenCallState())
      .ThenRefuses("AGENDA_LONGER_THAN_MEETING");
}

TEST(CohortEvolveTest, CountsMeetingsAndTheirDays) {
  const CohortState state = Fold<CohortState>(
      std::vector{MeetingRecorded(), MeetingRecorded("gm-2", D(2026, 2, 16))});
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.event_count, 2u);
  EXPECT_EQ(state.meetings.size(), 2u);
  EXPECT_EQ(state.meeting_by_day.at("2026-02-16"), "gm-2");
}

}  // namespace
}  // namespace coopcraft::testing
