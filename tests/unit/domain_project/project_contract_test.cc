// OpenProject, RecordWorkedDays, EndContract and CloseProject: the
// contract's life from the selected candidate to the closed project.
#include "given_when_then.h"

namespace coopcraft::domain::project::testing {
namespace {

using absl::StatusCode;

v1::RecordWorkedDaysRequest WorkDays(v1::Date from, v1::Date to, int days) {
  v1::RecordWorkedDaysRequest command;
  command.set_project_id("app-1");
  *command.mutable_period_start() = from;
  *command.mutable_period_end() = to;
  command.set_days(days);
  return command;
}

// Opens a project for someone born on `birth` with a contract from `start`.
v1::ProjectOpened OpenFor(v1::Date birth, v1::Date start) {
  SelectedCandidate candidate = Candidate();
  candidate.birth_date = birth;
  v1::OpenProjectRequest command = OpenCommand();
  *command.mutable_contract_start_date() = start;
  auto events = Given({}).When(command, candidate).Events();
  return events.empty() ? v1::ProjectOpened() : events[0].project_opened();
}

// --- OpenProject -----------------------------------------------------------

TEST(OpenProjectTest, OpensFromSelectedCandidate) {
  Given({}).When(OpenCommand(), Candidate()).Then({Opened()});
}

TEST(OpenProjectTest, OpensOnlyOnce) {
  Given({Opened()})
      .When(OpenCommand(), Candidate())
      .ThenRefuses("PROJECT_ALREADY_OPENED");
}

TEST(OpenProjectTest, RefusesCandidateNotSelected) {
  SelectedCandidate candidate = Candidate();
  candidate.selected = false;
  Given({})
      .When(OpenCommand(), candidate)
      .ThenRefuses("CANDIDATE_NOT_SELECTED");
}

TEST(OpenProjectTest, ProjectIdMustBeTheApplicationId) {
  v1::OpenProjectRequest command = OpenCommand();
  command.set_project_id("app-2");
  Given({})
      .When(command, Candidate())
      .ThenRefuses("PROJECT_ID_NOT_APPLICATION_ID");
}

TEST(OpenProjectTest, EmployerIsTheCandidatesCpas) {
  v1::OpenProjectRequest command = OpenCommand();
  command.set_employing_cpas_id("cpas-ixelles");
  Given({}).When(command, Candidate()).ThenRefuses("EMPLOYING_CPAS_MISMATCH");
}

TEST(OpenProjectTest, RefusesBirthDateNotBeforeStart) {
  SelectedCandidate candidate = Candidate();
  candidate.birth_date = D(2025, 9, 1);
  Given({})
      .When(OpenCommand(), candidate)
      .ThenRefuses("CANDIDATE_BIRTH_DATE_INVALID");
  candidate.birth_date = v1::Date();
  Given({})
      .When(OpenCommand(), candidate)
      .ThenRefuses("CANDIDATE_BIRTH_DATE_INVALID");
}

// Otherwise a start moved back before 2026-03-01 would pick the longer,
// age-banded target for someone selected under the single 312-day rule.
TEST(OpenProjectTest, RefusesStartBeforeTheSelection) {
  SelectedCandidate candidate = Candidate();
  candidate.birth_date = D(1976, 6, 1);
  candidate.selected_on = D(2026, 5, 11);
  v1::OpenProjectRequest command = OpenCommand();
  *command.mutable_contract_start_date() = D(2026, 2, 2);
  Given({})
      .On(Today(2026, 6, 1))
      .When(command, candidate)
      .ThenRefuses("CONTRACT_START_BEFORE_SELECTION");
  // A candidate without a selection day opens nothing either.
  candidate.selected_on = v1::Date();
  *command.mutable_contract_start_date() = D(2026, 5, 11);
  Given({})
      .On(Today(2026, 6, 1))
      .When(command, candidate)
      .ThenRefuses("CONTRACT_START_BEFORE_SELECTION");
}

// The day of the selection itself is a valid start.
TEST(OpenProjectTest, StartsOnTheDayOfTheSelection) {
  SelectedCandidate candidate = Candidate();
  candidate.birth_date = D(1976, 6, 1);
  candidate.selected_on = D(2026, 5, 11);
  v1::OpenProjectRequest command = OpenCommand();
  *command.mutable_contract_start_date() = D(2026, 5, 11);
  auto events =
      Given({}).On(Today(2026, 6, 1)).When(command, candidate).Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].project_opened().target_worked_days(), 312);
}

TEST(OpenProjectTest, RefusesStartBeforeAnyContractRule) {
  v1::OpenProjectRequest command = OpenCommand();
  *command.mutable_contract_start_date() = D(1975, 1, 6);
  SelectedCandidate candidate = Candidate();
  candidate.birth_date = D(1950, 1, 1);
  Given({}).When(command, candidate).ThenRefuses("NO_CONTRACT_RULE_IN_FORCE");
}

TEST(OpenProjectTest, Aged35OnTheDayBeforeMarch2026Gets312) {
  v1::ProjectOpened opened = OpenFor(D(1990, 3, 1), D(2026, 2, 28));
  EXPECT_EQ(opened.age_at_start(), 35);
  EXPECT_EQ(opened.target_worked_days(), 312);
  EXPECT_EQ(opened.contract_rule_set(), "art60-age-banded-1976");
}

TEST(OpenProjectTest, Turning36OnTheStartDateGets468BeforeMarch2026) {
  v1::ProjectOpened opened = OpenFor(D(1989, 9, 1), D(2025, 9, 1));
  EXPECT_EQ(opened.age_at_start(), 36);
  EXPECT_EQ(opened.target_worked_days(), 468);
  EXPECT_EQ(opened.age_band(), v1::AGE_BAND_36_TO_49);
  EXPECT_EQ(opened.expected_end_date().year(), 2027);
}

TEST(OpenProjectTest, Turning36TheDayAfterStartGets312) {
  v1::ProjectOpened opened = OpenFor(D(1989, 9, 2), D(2025, 9, 1));
  EXPECT_EQ(opened.age_at_start(), 35);
  EXPECT_EQ(opened.target_worked_days(), 312);
  EXPECT_EQ(opened.age_band(), v1::AGE_BAND_UNDER_36);
}

TEST(OpenProjectTest, Aged49Gets468BeforeMarch2026) {
  v1::ProjectOpened opened = OpenFor(D(1975, 9, 2), D(2025, 9, 1));
  EXPECT_EQ(opened.age_at_start(), 49);
  EXPECT_EQ(opened.target_worked_days(), 468);
}

TEST(OpenProjectTest, Aged50Gets624BeforeMarch2026) {
  v1::ProjectOpened opened = OpenFor(D(1975, 9, 1), D(2025, 9, 1));
  EXPECT_EQ(opened.age_at_start(), 50);
  EXPECT_EQ(opened.target_worked_days(), 624);
  EXPECT_EQ(opened.age_band(), v1::AGE_BAND_50_AND_OVER);
}

TEST(OpenProjectTest, Aged50OnTheLastDayOfTheOldRuleGets624) {
  v1::ProjectOpened opened = OpenFor(D(1976, 2, 28), D(2026, 2, 28));
  EXPECT_EQ(opened.age_at_start(), 50);
  EXPECT_EQ(opened.target_worked_days(), 624);
}

TEST(OpenProjectTest, FromMarch2026EveryAgeGets312) {
  for (const v1::Date& birth : {D(1990, 3, 1), D(1990, 3, 2), D(1977, 3, 1),
                                D(1976, 3, 2), D(1976, 3, 1), D(1950, 1, 1)}) {
    v1::ProjectOpened opened = OpenFor(birth, D(2026, 3, 1));
    EXPECT_EQ(opened.target_worked_days(), 312) << opened.age_at_start();
    EXPECT_EQ(opened.contract_rule_set(), "art60-uniform-2026");
  }
}

TEST(OpenProjectTest, ExpectedEndCountsFromTheFirstCountedDay) {
  // 2026-03-01 is a Sunday: counting starts on Monday 2 March, and 312 days
  // of the six-day regime end on the Saturday a year later.
  v1::ProjectOpened opened = OpenFor(D(1990, 1, 1), D(2026, 3, 1));
  EXPECT_EQ(FormatDate(opened.expected_end_date()), "2027-02-27");
}

// --- RecordWorkedDays ------------------------------------------------------

TEST(RecordWorkedDaysTest, RecordsPeriodAndDerivesExpectedEnd) {
  Given({Opened()})
      .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 20))
      .Then({WorkedSeptember()});
}

TEST(RecordWorkedDaysTest, CountsRemainingDaysFromTheLastPeriodEnd) {
  Given({Opened(), WorkedSeptember()})
      .When(WorkDays(D(2025, 10, 1), D(2025, 10, 31), 22))
      .Then({Worked(D(2025, 10, 1), D(2025, 10, 31), 22, 42, D(2026, 9, 11))});
}

TEST(RecordWorkedDaysTest, AnEarlierPeriodRecordedLateKeepsTheLatestEnd) {
  v1::ProjectEvent october =
      Worked(D(2025, 10, 1), D(2025, 10, 31), 22, 22, D(2026, 10, 5));
  auto events = Given({Opened(), october})
                    .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 20))
                    .Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(FormatDate(events[0].worked_days_recorded().expected_end_date()),
            "2026-09-11");
}

TEST(RecordWorkedDaysTest, ReachingTheTargetEndsOnThePeriodEnd) {
  v1::ProjectEvent almost =
      Worked(D(2025, 9, 1), D(2026, 1, 30), 302, 302, D(2026, 2, 11));
  auto events = Given({Opened(), almost})
                    .When(WorkDays(D(2026, 2, 2), D(2026, 2, 13), 10))
                    .Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].worked_days_recorded().remaining_days(), 0);
  EXPECT_EQ(FormatDate(events[0].worked_days_recorded().expected_end_date()),
            "2026-02-13");
}

TEST(RecordWorkedDaysTest, RefusesMoreDaysThanMondaysToSaturdays) {
  // September 2025 holds 26 days of the six-day regime.
  Given({Opened()})
      .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 27))
      .ThenRefuses("WORKED_DAYS_EXCEED_PERIOD");
}

TEST(RecordWorkedDaysTest, AcceptsSaturdaysAsCountedDays) {
  Given({Opened()})
      .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 26))
      .Then({Worked(D(2025, 9, 1), D(2025, 9, 30), 26, 26, D(2026, 8, 29))});
}

TEST(RecordWorkedDaysTest, RefusesOverlappingPeriods) {
  Given({Opened(), WorkedSeptember()})
      .When(WorkDays(D(2025, 9, 30), D(2025, 10, 3), 4))
      .ThenRefuses("WORKED_DAYS_PERIOD_OVERLAP");
}

TEST(RecordWorkedDaysTest, RefusesDaysBeyondTheTarget) {
  v1::ProjectEvent almost =
      Worked(D(2025, 9, 1), D(2026, 1, 30), 305, 305, D(2026, 2, 7));
  Given({Opened(), almost})
      .When(WorkDays(D(2026, 2, 2), D(2026, 2, 13), 10))
      .ThenRefuses("WORKED_DAYS_EXCEED_TARGET");
}

TEST(RecordWorkedDaysTest, RefusesPeriodInverted) {
  Given({Opened()})
      .When(WorkDays(D(2025, 9, 30), D(2025, 9, 1), 0))
      .ThenRefuses("DATE_RANGE_INVERTED");
}

TEST(RecordWorkedDaysTest, RefusesPeriodBeforeContractStart) {
  Given({Opened()})
      .When(WorkDays(D(2025, 8, 25), D(2025, 9, 5), 5))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

TEST(RecordWorkedDaysTest, RefusesPeriodEndingInTheFuture) {
  Given({Opened()})
      .When(WorkDays(D(2026, 2, 9), D(2026, 2, 20), 5))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(RecordWorkedDaysTest, RefusesPeriodAfterContractEnd) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(WorkDays(D(2026, 2, 2), D(2026, 2, 6), 5))
      .ThenRefuses("DATE_AFTER_CONTRACT_END");
}

TEST(RecordWorkedDaysTest, UnknownProjectIsNotFound) {
  Given({})
      .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 20))
      .ThenFails(StatusCode::kNotFound, "PROJECT_NOT_FOUND");
}

TEST(RecordWorkedDaysTest, NothingIsRecordedOnAClosedProject) {
  Given({Opened(), EndedOn(2026, 1, 30), Closed()})
      .When(WorkDays(D(2025, 9, 1), D(2025, 9, 30), 20))
      .ThenRefuses("PROJECT_CLOSED");
}

// --- EndContract -----------------------------------------------------------

v1::EndContractRequest EndOn(
    v1::Date date, v1::ExitOutcome outcome = v1::EXIT_OUTCOME_EMPLOYMENT) {
  v1::EndContractRequest command;
  command.set_project_id("app-1");
  *command.mutable_ended_on() = date;
  command.set_exit_outcome(outcome);
  return command;
}

TEST(EndContractTest, RecordsOutcomeAndWorkedDays) {
  v1::EndContractRequest command = EndOn(D(2026, 2, 13));
  command.mutable_notes()->set_comment("Hired by the museum.");
  Given({Opened(), WorkedSeptember()}).When(command).Then({Event(R"pb(
    contract_ended {
      project_id: "app-1"
      ended_on { year: 2026 month: 2 day: 13 }
      exit_outcome: EXIT_OUTCOME_EMPLOYMENT
      worked_days: 20
      target_worked_days: 312
      target_reached: false
      notes { comment: "Hired by the museum." }
    }
  )pb")});
}

TEST(EndContractTest, EndsOnlyOnce) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(EndOn(D(2026, 2, 13)))
      .ThenRefuses("CONTRACT_ALREADY_ENDED");
}

TEST(EndContractTest, RefusesEndInTheFuture) {
  Given({Opened()}).When(EndOn(D(2026, 3, 1))).ThenRefuses("DATE_IN_FUTURE");
}

TEST(EndContractTest, RefusesEndBeforeStart) {
  Given({Opened()})
      .When(EndOn(D(2025, 8, 29)))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

TEST(EndContractTest, RefusesEndBeforeRecordedWork) {
  Given({Opened(), WorkedSeptember()})
      .When(EndOn(D(2025, 9, 15)))
      .ThenRefuses("CONTRACT_END_BEFORE_RECORDED_WORK");
}

TEST(EndContractTest, HandOffExitNeedsAnAcceptedHandOff) {
  Given({Opened()})
      .When(EndOn(D(2026, 2, 13), v1::EXIT_OUTCOME_HAND_OFF))
      .ThenRefuses("HANDOFF_NOT_ACCEPTED");
}

TEST(EndContractTest, HandOffExitNamesThePartner) {
  auto events =
      Given({Opened(), Event(R"pb(hand_off_proposed {
                                    handoff_id: "h-1"
                                    partner_organisation_id: "job-yourself"
                                  })pb"),
             Event(R"pb(hand_off_accepted {
                          handoff_id: "h-1"
                          partner_organisation_id: "job-yourself"
                        })pb")})
          .When(EndOn(D(2026, 2, 13), v1::EXIT_OUTCOME_HAND_OFF))
          .Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].contract_ended().partner_organisation_id(),
            "job-yourself");
}

// --- CloseProject ----------------------------------------------------------

v1::CloseProjectRequest Close() {
  return Cmd<v1::CloseProjectRequest>(R"pb(project_id: "app-1")pb");
}

TEST(CloseProjectTest, ClosesAfterContractEnd) {
  Given({Opened(), EndedOn(2026, 1, 30)}).When(Close()).Then({Closed()});
}

TEST(CloseProjectTest, RefusesBeforeContractEnd) {
  Given({Opened()}).When(Close()).ThenRefuses("CONTRACT_NOT_ENDED");
}

TEST(CloseProjectTest, RefusesWhileAHandOffAwaitsItsAnswer) {
  Given({Opened(), Event(R"pb(hand_off_proposed {
                                handoff_id: "h-1"
                                partner_organisation_id: "job-yourself"
                              })pb"),
         EndedOn(2026, 1, 30)})
      .When(Close())
      .ThenRefuses("HANDOFF_PENDING");
}

TEST(CloseProjectTest, ClosesOnlyOnce) {
  Given({Opened(), EndedOn(2026, 1, 30), Closed()})
      .When(Close())
      .ThenRefuses("PROJECT_CLOSED");
}

}  // namespace
}  // namespace coopcraft::domain::project::testing
