// Risk flags are computed against the date of the query.
#include "services/projections/risk_flags.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// Started 2026-03-02, expected to end 2027-03-30, mentor met once.
v1::ProjectView OnTrack() {
  v1::ProjectView view;
  *view.mutable_contract()->mutable_start_date() = Day(2026, 3, 2);
  *view.mutable_contract()->mutable_expected_end_date() = Day(2027, 3, 30);
  view.mutable_mentoring()->set_meetings_held(1);
  return view;
}

TEST(RiskFlagsTest, ProjectOnTrackHasNoFlag) {
  EXPECT_THAT(RiskFlagsOn(OnTrack(), Day(2026, 10, 1)), IsEmpty());
}

TEST(RiskFlagsTest, EndWithin90DaysWithoutEvaluationIsFlagged) {
  EXPECT_THAT(RiskFlagsOn(OnTrack(), Day(2027, 1, 1)),
              ElementsAre(v1::RISK_FLAG_CONTRACT_ENDING_WITHOUT_EVALUATION));
}

TEST(RiskFlagsTest, EndWithin90DaysWithEvaluationIsNotFlagged) {
  v1::ProjectView view = OnTrack();
  view.mutable_evaluation()->set_autonomy_level(v1::AUTONOMY_LEVEL_AUTONOMOUS);
  EXPECT_THAT(RiskFlagsOn(view, Day(2027, 1, 1)), IsEmpty());
}

TEST(RiskFlagsTest, NoMentorMeetingIsFlaggedFromThreeMonthsAfterStart) {
  v1::ProjectView view = OnTrack();
  view.mutable_mentoring()->set_meetings_held(0);
  EXPECT_THAT(RiskFlagsOn(view, Day(2026, 6, 1)), IsEmpty());
  EXPECT_THAT(RiskFlagsOn(view, Day(2026, 6, 2)),
              ElementsAre(v1::RISK_FLAG_NO_MENTOR_MEETING));
}

TEST(RiskFlagsTest, FundingDeadlineWithin14DaysNotYetSentIsFlagged) {
  v1::ProjectView view = OnTrack();
  v1::FundingApplicationView* application = view.add_funding_applications();
  *application->mutable_deadline() = Day(2026, 10, 10);
  EXPECT_THAT(RiskFlagsOn(view, Day(2026, 10, 1)),
              ElementsAre(v1::RISK_FLAG_FUNDING_DEADLINE_NOT_SUBMITTED));
  *application->mutable_submitted_on() = Day(2026, 9, 30);
  EXPECT_THAT(RiskFlagsOn(view, Day(2026, 10, 1)), IsEmpty());
}

}  // namespace
}  // namespace coopcraft::projections
