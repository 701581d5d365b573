// The mentor and its two meetings: assignment and replacement, each dated,
// and meetings that cannot predate the assignment of the mentor they are
// with.
#include <optional>
#include <string>
#include <vector>

#include "given_when_then.h"

namespace coopcraft::domain::project::testing {
namespace {

// Assigns `mentor`; without `on` the decider dates it today.
v1::AssignMentorRequest Assign(std::string mentor,
                               std::optional<v1::Date> on = std::nullopt) {
  v1::AssignMentorRequest command;
  command.set_project_id("app-1");
  command.set_mentor_id(mentor);
  command.set_sector("video games");
  if (on.has_value()) *command.mutable_assigned_on() = *on;
  return command;
}

// Assigned on Monday 2026-02-02 unless said otherwise: two weeks before
// the scenarios' today, so meetings can be recorded in between.
v1::ProjectEvent MentorAssigned(std::string mentor = "mentor-1",
                                v1::Date on = D(2026, 2, 2)) {
  v1::ProjectEvent event;
  auto* assigned = event.mutable_mentor_assigned();
  assigned->set_project_id("app-1");
  assigned->set_mentor_id(mentor);
  assigned->set_sector("video games");
  *assigned->mutable_assigned_on() = on;
  return event;
}

// MentorAssigned for `mentor` replacing `previous`.
v1::ProjectEvent MentorReplaced(std::string mentor, std::string previous,
                                v1::Date on) {
  v1::ProjectEvent event = MentorAssigned(mentor, on);
  event.mutable_mentor_assigned()->set_previous_mentor_id(previous);
  return event;
}

v1::ScheduleMentorMeetingRequest Schedule(std::string meeting, v1::Date on) {
  v1::ScheduleMentorMeetingRequest command;
  command.set_project_id("app-1");
  command.set_meeting_id(meeting);
  *command.mutable_scheduled_for() = on;
  return command;
}

v1::ProjectEvent Scheduled(std::string meeting, std::string mentor,
                           v1::Date on) {
  v1::ProjectEvent event;
  auto* scheduled = event.mutable_mentor_meeting_scheduled();
  scheduled->set_project_id("app-1");
  scheduled->set_meeting_id(meeting);
  scheduled->set_mentor_id(mentor);
  *scheduled->mutable_scheduled_for() = on;
  return event;
}

v1::RecordMentorMeetingRequest Meet(std::string meeting, v1::Date on) {
  v1::RecordMentorMeetingRequest command;
  command.set_project_id("app-1");
  command.set_meeting_id(meeting);
  *command.mutable_held_on() = on;
  command.mutable_feedback()->set_summary("Good prototype.");
  return command;
}

v1::ProjectEvent Held(std::string meeting, int count,
                      std::string mentor = "mentor-1",
                      v1::Date on = D(2026, 2, 10)) {
  v1::ProjectEvent event;
  auto* held = event.mutable_mentor_meeting_held();
  held->set_project_id("app-1");
  held->set_meeting_id(meeting);
  held->set_mentor_id(mentor);
  *held->mutable_held_on() = on;
  held->set_meetings_held(count);
  held->set_requirement_met(count >= 2);
  held->mutable_feedback()->set_summary("Good prototype.");
  return event;
}

// --- Assignment ------------------------------------------------------------

TEST(MentorTest, WithoutADayTheMentorIsAssignedToday) {
  Given({Opened()})
      .When(Assign("mentor-1"))
      .Then({MentorAssigned("mentor-1", D(2026, 2, 16))});
}

TEST(MentorTest, AssignsOnTheDayGiven) {
  auto scenario = Given({Opened()});
  scenario.When(Assign("mentor-1", D(2026, 1, 12)))
      .Then({MentorAssigned("mentor-1", D(2026, 1, 12))});
  EXPECT_EQ(FormatDate(scenario.StateAfter().mentor_assigned_on), "2026-01-12");
}

TEST(MentorTest, AssignsTodayButNotTomorrow) {
  Given({Opened()})
      .When(Assign("mentor-1", D(2026, 2, 16)))
      .Then({MentorAssigned("mentor-1", D(2026, 2, 16))});
  Given({Opened()})
      .When(Assign("mentor-1", D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(MentorTest, AssignsFromTheContractStartButNotTheDayBefore) {
  Given({Opened()})
      .When(Assign("mentor-1", D(2025, 9, 1)))
      .Then({MentorAssigned("mentor-1", D(2025, 9, 1))});
  Given({Opened()})
      .When(Assign("mentor-1", D(2025, 8, 31)))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

// Before the contract starts there is no participant to mentor yet, even
// when the day is left to default to today.
TEST(MentorTest, NoMentorAssignedTodayBeforeTheContractStarts) {
  Given({Opened()})
      .On(Today(2025, 8, 25))
      .When(Assign("mentor-1"))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

TEST(MentorTest, ReplacingAMentorNamesThePreviousOne) {
  Given({Opened(), MentorAssigned()})
      .When(Assign("mentor-2"))
      .Then({MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 16))});
}

TEST(MentorTest, ReplacesFromTheCurrentMentorsDayButNotBefore) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 2))})
      .When(Assign("mentor-2", D(2026, 2, 2)))
      .Then({MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 2))});
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 2))})
      .When(Assign("mentor-2", D(2026, 2, 1)))
      .ThenRefuses("MENTOR_REPLACED_BEFORE_ASSIGNED");
}

TEST(MentorTest, RefusesTheSameMentorTwice) {
  Given({Opened(), MentorAssigned()})
      .When(Assign("mentor-1"))
      .ThenRefuses("MENTOR_ALREADY_ASSIGNED");
}

// An assignment recorded late without a day carries the day it was
// recorded; the current mentor again with an earlier day corrects it.
TEST(MentorRedatingTest, TheCurrentMentorWithAnEarlierDayCorrectsTheDay) {
  auto scenario = Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 9))});
  scenario.When(Assign("mentor-1", D(2026, 2, 2)))
      .Then({MentorReplaced("mentor-1", "mentor-1", D(2026, 2, 2))});
  EXPECT_EQ(FormatDate(scenario.StateAfter().mentor_assigned_on), "2026-02-02");
}

// Only earlier: the same day changes nothing, and a later one could leave
// meetings already held before the assignment.
TEST(MentorRedatingTest, TheSameOrALaterDayIsStillTheSameMentorTwice) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 9))})
      .When(Assign("mentor-1", D(2026, 2, 9)))
      .ThenRefuses("MENTOR_ALREADY_ASSIGNED");
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 9))})
      .When(Assign("mentor-1", D(2026, 2, 10)))
      .ThenRefuses("MENTOR_ALREADY_ASSIGNED");
}

TEST(MentorRedatingTest, TheCorrectedDayAdmitsTheMeetingsBeforeTheOldOne) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 9)),
         MentorReplaced("mentor-1", "mentor-1", D(2026, 2, 2))})
      .When(Meet("m-1", D(2026, 2, 3)))
      .Then({Held("m-1", 1, "mentor-1", D(2026, 2, 3))});
}

// A meeting scheduled in the mentor's current term takes the corrected
// day too.
TEST(MentorRedatingTest, AScheduledMeetingTakesTheCorrectedDay) {
  const std::vector<v1::ProjectEvent> scheduled = {
      Opened(), MentorAssigned("mentor-1", D(2026, 2, 12)),
      Scheduled("m-1", "mentor-1", D(2026, 2, 13))};
  Given(scheduled)
      .When(Meet("m-1", D(2026, 2, 11)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
  std::vector<v1::ProjectEvent> corrected = scheduled;
  corrected.push_back(MentorReplaced("mentor-1", "mentor-1", D(2026, 2, 2)));
  Given(corrected)
      .When(Meet("m-1", D(2026, 2, 11)))
      .Then({Held("m-1", 1, "mentor-1", D(2026, 2, 11))});
}

// Mentors still follow one another: the corrected day of a replacement
// stays on or after the day of the mentor it replaced.
TEST(MentorRedatingTest, NotBeforeThePreviousMentorsDay) {
  const std::vector<v1::ProjectEvent> replaced = {
      Opened(), MentorAssigned("mentor-1", D(2026, 2, 2)),
      MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 9))};
  Given(replaced)
      .When(Assign("mentor-2", D(2026, 2, 2)))
      .Then({MentorReplaced("mentor-2", "mentor-2", D(2026, 2, 2))});
  Given(replaced)
      .When(Assign("mentor-2", D(2026, 2, 1)))
      .ThenRefuses("MENTOR_REPLACED_BEFORE_ASSIGNED");
}

// --- Meetings --------------------------------------------------------------

TEST(MentorTest, MeetingNeedsAnAssignedMentor) {
  Given({Opened()})
      .When(Schedule("m-1", D(2026, 3, 2)))
      .ThenRefuses("MENTOR_NOT_ASSIGNED");
  Given({Opened()})
      .When(Meet("m-1", D(2026, 2, 10)))
      .ThenRefuses("MENTOR_NOT_ASSIGNED");
}

TEST(MentorTest, SchedulesAMeetingWithTheMentor) {
  Given({Opened(), MentorAssigned()})
      .When(Schedule("m-1", D(2026, 3, 2)))
      .Then({Event(R"pb(
        mentor_meeting_scheduled {
          project_id: "app-1"
          meeting_id: "m-1"
          mentor_id: "mentor-1"
          scheduled_for { year: 2026 month: 3 day: 2 }
        }
      )pb")});
}

TEST(MentorTest, RefusesSchedulingInThePast) {
  Given({Opened(), MentorAssigned()})
      .When(Schedule("m-1", D(2026, 2, 13)))
      .ThenRefuses("MEETING_SCHEDULED_IN_PAST");
}

TEST(MentorTest, RefusesAReusedMeetingId) {
  Given({Opened(), MentorAssigned(), Held("m-1", 1)})
      .When(Schedule("m-1", D(2026, 3, 2)))
      .ThenRefuses("MENTOR_MEETING_ALREADY_EXISTS");
}

TEST(MentorTest, FirstMeetingDoesNotMeetTheRequirement) {
  Given({Opened(), MentorAssigned()})
      .When(Meet("m-1", D(2026, 2, 10)))
      .Then({Held("m-1", 1)});
}

TEST(MentorTest, SecondMeetingMeetsTheRequirement) {
  auto scenario = Given({Opened(), MentorAssigned(), Held("m-1", 1)});
  scenario.When(Meet("m-2", D(2026, 2, 10))).Then({Held("m-2", 2)});
  EXPECT_TRUE(scenario.StateAfter().mentor_requirement_met);
  EXPECT_EQ(scenario.StateAfter().mentor_meetings_held, 2);
}

// Held on the 10th, after mentor-1's assignment on the 2nd: accepted
// although mentor-2 took over only on the 12th, since the meeting is with
// mentor-1.
TEST(MentorTest, AScheduledMeetingKeepsItsMentor) {
  Given({Opened(), MentorAssigned(), Event(R"pb(mentor_meeting_scheduled {
                                                  meeting_id: "m-1"
                                                  mentor_id: "mentor-1"
                                                })pb"),
         MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 12))})
      .When(Meet("m-1", D(2026, 2, 10)))
      .Then({Held("m-1", 1, "mentor-1")});
}

TEST(MentorTest, RefusesRecordingAMeetingTwice) {
  Given({Opened(), MentorAssigned(), Held("m-1", 1)})
      .When(Meet("m-1", D(2026, 2, 10)))
      .ThenRefuses("MENTOR_MEETING_ALREADY_HELD");
}

TEST(MentorTest, RefusesAMeetingInTheFuture) {
  Given({Opened(), MentorAssigned()})
      .When(Meet("m-1", D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(MentorTest, RefusesAMeetingBeforeTheContract) {
  Given({Opened(), MentorAssigned()})
      .When(Meet("m-1", D(2025, 8, 29)))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

// After the contract ended a mentor can still be recorded for the time of
// the contract, so that the meetings held then can be recorded too, but not
// for a day after it: that is no longer mentoring in the programme.
TEST(MentorTest, AfterTheContractEndedAssignsUpToTheLastDay) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(Assign("mentor-1"))
      .ThenRefuses("DATE_AFTER_CONTRACT_END");
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(Assign("mentor-1", D(2026, 1, 31)))
      .ThenRefuses("DATE_AFTER_CONTRACT_END");
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(Assign("mentor-1", D(2026, 1, 30)))
      .Then({MentorAssigned("mentor-1", D(2026, 1, 30))});
}

TEST(MentorTest, AfterTheContractEndedItsMeetingsCanBeRecorded) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(Assign("mentor-1", D(2026, 1, 5)))
      .Then({MentorAssigned("mentor-1", D(2026, 1, 5))});
  Given({Opened(), EndedOn(2026, 1, 30),
         MentorAssigned("mentor-1", D(2026, 1, 5))})
      .When(Meet("m-1", D(2026, 1, 12)))
      .Then({Held("m-1", 1, "mentor-1", D(2026, 1, 12))});
}

TEST(MentorRedatingTest, AfterTheContractEndedTheDayCanStillBeCorrected) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 1, 20)),
         EndedOn(2026, 1, 30)})
      .When(Assign("mentor-1", D(2026, 1, 5)))
      .Then({MentorReplaced("mentor-1", "mentor-1", D(2026, 1, 5))});
}

TEST(MentorTest, NoMeetingScheduledAfterTheContractEnded) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 1, 5)),
         EndedOn(2026, 1, 30)})
      .When(Schedule("m-1", D(2026, 2, 20)))
      .ThenRefuses("CONTRACT_ENDED");
}

// --- Meetings and the assignment day ---------------------------------------

TEST(MentorMeetingDateTest, HeldFromTheAssignmentDayButNotBefore) {
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 2))})
      .When(Meet("m-1", D(2026, 2, 2)))
      .Then({Held("m-1", 1, "mentor-1", D(2026, 2, 2))});
  Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 2))})
      .When(Meet("m-1", D(2026, 2, 1)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
}

// An assignment recorded before this rule existed carries the day it was
// recorded; replay reads it like any other, so the bound is that day.
TEST(MentorMeetingDateTest, ReplayedAssignmentBoundsLaterMeetings) {
  auto scenario =
      Given({Opened(), Event(R"pb(mentor_assigned {
                                    project_id: "app-1"
                                    mentor_id: "mentor-1"
                                    sector: "video games"
                                    assigned_on { year: 2026 month: 2 day: 9 }
                                  })pb")});
  EXPECT_EQ(FormatDate(scenario.StateAfter().mentor_assigned_on), "2026-02-09");
  scenario.When(Meet("m-1", D(2026, 2, 6)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
}

// A meeting that was not scheduled is with the current mentor, so it is
// bounded by the current mentor's day, not the previous one's.
TEST(MentorMeetingDateTest, UnscheduledMeetingIsBoundedByTheCurrentMentor) {
  const std::vector<v1::ProjectEvent> replaced = {
      Opened(), MentorAssigned("mentor-1", D(2026, 2, 2)),
      MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 9))};
  Given(replaced)
      .When(Meet("m-1", D(2026, 2, 9)))
      .Then({Held("m-1", 1, "mentor-2", D(2026, 2, 9))});
  Given(replaced)
      .When(Meet("m-1", D(2026, 2, 6)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
}

// A meeting scheduled with mentor-1 stays with mentor-1 after the
// replacement, and mentor-1's day still bounds it.
TEST(MentorMeetingDateTest, ScheduledMeetingIsBoundedByItsOwnMentor) {
  const std::vector<v1::ProjectEvent> replaced = {
      Opened(), MentorAssigned("mentor-1", D(2026, 2, 4)),
      Scheduled("m-1", "mentor-1", D(2026, 2, 5)),
      MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 12))};
  Given(replaced)
      .When(Meet("m-1", D(2026, 2, 4)))
      .Then({Held("m-1", 1, "mentor-1", D(2026, 2, 4))});
  Given(replaced)
      .When(Meet("m-1", D(2026, 2, 3)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
}

// The requirement is that the participant was mentored: a meeting held
// with the replaced mentor still counts.
TEST(MentorMeetingDateTest, MeetingsWithAReplacedMentorStillCount) {
  auto scenario =
      Given({Opened(), MentorAssigned("mentor-1", D(2026, 2, 2)),
             Held("m-1", 1, "mentor-1", D(2026, 2, 3)),
             MentorReplaced("mentor-2", "mentor-1", D(2026, 2, 9))});
  scenario.When(Meet("m-2", D(2026, 2, 10)))
      .Then({Held("m-2", 2, "mentor-2", D(2026, 2, 10))});
  EXPECT_TRUE(scenario.StateAfter().mentor_requirement_met);
}

// Scheduling is from today on and an assignment is never after today, so
// only an assignment recorded by a server whose clock was ahead can come
// after the scheduled day.
TEST(MentorMeetingDateTest, ScheduledFromTheAssignmentDayButNotBefore) {
  const std::vector<v1::ProjectEvent> assigned_tomorrow = {
      Opened(), MentorAssigned("mentor-1", D(2026, 2, 17))};
  Given(assigned_tomorrow)
      .When(Schedule("m-1", D(2026, 2, 17)))
      .Then({Scheduled("m-1", "mentor-1", D(2026, 2, 17))});
  Given(assigned_tomorrow)
      .When(Schedule("m-1", D(2026, 2, 16)))
      .ThenRefuses("MEETING_BEFORE_MENTOR_ASSIGNED");
}

}  // namespace
}  // namespace coopcraft::domain::project::testing
