// Gantt: stages as bars from the dates of the events that moved the
// project, milestones planned against actual, and the SVG drawn from them.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "coopcraft/v1/project_events.pb.h"
#include "gtest/gtest.h"
#include "services/domain/date.h"
#include "services/projections/gantt_projection.h"
#include "services/projections/gantt_svg.h"
#include "tests/unit/projections/report_test_events.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::domain::FormatDate;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::RecordMaker;

constexpr char kStream[] = "project-app-1";

size_t Occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

class GanttTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::ProjectEvent e;
    v1::ProjectOpened& opened = *e.mutable_project_opened();
    opened.set_project_id("app-1");
    opened.set_title("Museum game");
    *opened.mutable_contract_start_date() = Day(2026, 3, 2);
    *opened.mutable_expected_end_date() = Day(2027, 3, 30);
    Given(e);
  }

  void Given(const v1::ProjectEvent& event,
             const v1::Date& committed = Day(2026, 1, 1)) {
    ApplyRecord(records_.Make(kStream, event, committed), projection_);
  }

  void RoadmapCompleteOn(const v1::Date& day) {
    v1::ProjectEvent e;
    e.mutable_deliverable_validated()->set_roadmap_complete(true);
    *e.mutable_deliverable_validated()->mutable_validated_on() = day;
    Given(e);
  }

  void EvaluatedOn(const v1::Date& day) {
    v1::ProjectEvent e;
    *e.mutable_evaluation_recorded()->mutable_evaluated_on() = day;
    Given(e);
  }

  void Milestone(const std::string& id, const std::string& title) {
    v1::ProjectEvent planned;
    planned.mutable_milestone_planned()->set_milestone_id(id);
    planned.mutable_milestone_planned()->set_title(title);
    *planned.mutable_milestone_planned()->mutable_start_date() =
        Day(2026, 4, 1);
    *planned.mutable_milestone_planned()->mutable_end_date() = Day(2026, 4, 30);
    Given(planned);
    v1::ProjectEvent moved;
    moved.mutable_milestone_moved()->set_milestone_id(id);
    *moved.mutable_milestone_moved()->mutable_start_date() = Day(2026, 5, 1);
    *moved.mutable_milestone_moved()->mutable_end_date() = Day(2026, 5, 31);
    Given(moved);
    v1::ProjectEvent completed;
    completed.mutable_milestone_completed()->set_milestone_id(id);
    *completed.mutable_milestone_completed()->mutable_completed_on() =
        Day(2026, 6, 3);
    Given(completed);
  }

  v1::GanttView View() {
    auto view = projection_.Get("app-1");
    EXPECT_TRUE(view.has_value());
    return view.value_or(v1::GanttView());
  }

  RecordMaker records_;
  GanttProjection projection_;
};

TEST_F(GanttTest, StagesRunFromOneMovingEventToTheNext) {
  RoadmapCompleteOn(Day(2026, 6, 10));
  EvaluatedOn(Day(2027, 1, 15));
  const v1::GanttView view = View();
  ASSERT_EQ(view.stages_size(), 3);
  EXPECT_EQ(view.stages(0).stage(), v1::PROJECT_STAGE_ROADMAP);
  EXPECT_EQ(FormatDate(view.stages(0).first_day()), "2026-03-02");
  EXPECT_EQ(FormatDate(view.stages(0).last_day()), "2026-06-10");
  EXPECT_EQ(view.stages(1).stage(), v1::PROJECT_STAGE_FOLLOW_UP);
  EXPECT_EQ(FormatDate(view.stages(1).first_day()), "2026-06-10");
  EXPECT_EQ(FormatDate(view.stages(1).last_day()), "2027-01-15");
  EXPECT_EQ(view.stages(2).stage(), v1::PROJECT_STAGE_EVALUATED);
  EXPECT_FALSE(view.stages(2).has_last_day());
}

TEST_F(GanttTest, IncompleteOrLateRoadmapDrawsNoBar) {
  v1::ProjectEvent validated;
  validated.mutable_deliverable_validated()->set_roadmap_complete(false);
  Given(validated);
  EXPECT_EQ(View().stages_size(), 1);
  EvaluatedOn(Day(2027, 1, 15));
  RoadmapCompleteOn(Day(2027, 2, 1));  // late: the project is past it
  ASSERT_EQ(View().stages_size(), 2);
  EXPECT_EQ(View().stages(1).stage(), v1::PROJECT_STAGE_EVALUATED);
}

TEST_F(GanttTest, EventWithoutBusinessDateUsesItsCommitDay) {
  v1::ProjectEvent closed;
  closed.mutable_project_closed();
  Given(closed, Day(2027, 2, 1));
  ASSERT_EQ(View().stages_size(), 2);
  EXPECT_EQ(View().stages(1).stage(), v1::PROJECT_STAGE_CLOSED);
  EXPECT_EQ(FormatDate(View().stages(1).first_day()), "2027-02-01");
}

TEST_F(GanttTest, ContractSpanFollowsWorkedDaysAndTheEnd) {
  v1::ProjectEvent worked;
  *worked.mutable_worked_days_recorded()->mutable_expected_end_date() =
      Day(2027, 4, 15);
  Given(worked);
  EXPECT_EQ(FormatDate(View().contract().expected_end_date()), "2027-04-15");
  EXPECT_FALSE(View().contract().has_actual_end_date());
  v1::ProjectEvent ended;
  *ended.mutable_contract_ended()->mutable_ended_on() = Day(2027, 4, 10);
  Given(ended);
  EXPECT_EQ(FormatDate(View().contract().start_date()), "2026-03-02");
  EXPECT_EQ(FormatDate(View().contract().actual_end_date()), "2027-04-10");
  EXPECT_EQ(View().stages(1).stage(), v1::PROJECT_STAGE_CONTRACT_ENDED);
}

TEST_F(GanttTest, MilestoneKeepsFirstPlanCurrentPlanAndCompletion) {
  Milestone("m1", "Prototype");
  const v1::GanttView view = View();
  ASSERT_EQ(view.milestones_size(), 1);
  const v1::GanttMilestone& m = view.milestones(0);
  EXPECT_EQ(m.title(), "Prototype");
  EXPECT_EQ(FormatDate(m.first_planned_start()), "2026-04-01");
  EXPECT_EQ(FormatDate(m.first_planned_end()), "2026-04-30");
  EXPECT_EQ(FormatDate(m.planned_start()), "2026-05-01");
  EXPECT_EQ(FormatDate(m.planned_end()), "2026-05-31");
  EXPECT_EQ(FormatDate(m.completed_on()), "2026-06-03");
  EXPECT_EQ(m.times_moved(), 1);
}

TEST_F(GanttTest, EventsBeforeTheOpeningAndOfOtherStreamsAreIgnored) {
  GanttProjection fresh;
  v1::ProjectEvent planned;
  planned.mutable_milestone_planned()->set_milestone_id("m1");
  ApplyRecord(records_.Make("project-app-2", planned), fresh);
  EXPECT_FALSE(fresh.Get("app-2").has_value());
  EXPECT_FALSE(projection_.Get("app-2").has_value());
}

TEST_F(GanttTest, SvgHasOneRectPerBarBalancedTagsAndMonthTicks) {
  RoadmapCompleteOn(Day(2026, 6, 10));
  Milestone("m1", "Prototype");
  Milestone("m2", "Launch");
  const v1::GanttView view = View();
  const std::string svg = RenderGanttSvg(view, Day(2026, 7, 1));
  // Contract + 2 stages + 2 milestones.
  EXPECT_EQ(Occurrences(svg, "<rect "), 5u);
  EXPECT_EQ(Occurrences(svg, "<rect "), Occurrences(svg, "</rect>"));
  EXPECT_EQ(Occurrences(svg, "<title>"), Occurrences(svg, "</title>"));
  EXPECT_EQ(Occurrences(svg, "<text "), Occurrences(svg, "</text>"));
  EXPECT_EQ(Occurrences(svg, "<svg "), 1u);
  EXPECT_EQ(Occurrences(svg, "</svg>"), 1u);
  EXPECT_EQ(Occurrences(svg, "class=\"stage\""), 2u);
  EXPECT_EQ(Occurrences(svg, "class=\"planned\""), 2u);
  // Each completed milestone gets one marker; each moved one a first plan.
  EXPECT_EQ(Occurrences(svg, "<polygon class=\"actual\""), 2u);
  EXPECT_EQ(Occurrences(svg, "class=\"first-planned\""), 2u);
  // Axis from 2026-03-01 to 2027-04-01 (the expected end is 2027-03-30):
  // one tick on the first of each of those 14 months.
  EXPECT_EQ(Occurrences(svg, "class=\"tick\""), 14u);
  EXPECT_TRUE(absl::StrContains(svg, ">2026-03</text>"));
  EXPECT_TRUE(absl::StrContains(svg, ">2027-04</text>"));
  EXPECT_EQ(Occurrences(svg, "class=\"today\""), 1u);
  EXPECT_TRUE(absl::StrContains(svg, "Prototype: completed 2026-06-03"));
}

TEST_F(GanttTest, SvgEscapesTitlesAndOmitsTodayOutsideTheAxis) {
  Milestone("m1", "Launch <beta> & \"friends\"'");
  const std::string svg = RenderGanttSvg(View(), Day(2030, 1, 1));
  EXPECT_TRUE(absl::StrContains(
      svg, "Launch &lt;beta&gt; &amp; &quot;friends&quot;&apos;"));
  EXPECT_FALSE(absl::StrContains(svg, "<beta>"));
  EXPECT_EQ(Occurrences(svg, "class=\"today\""), 0u);
}

TEST_F(GanttTest, SvgIsDeterministicAndOpenStagesStopAtToday) {
  const std::string early = RenderGanttSvg(View(), Day(2026, 4, 1));
  EXPECT_EQ(early, RenderGanttSvg(View(), Day(2026, 4, 1)));
  EXPECT_NE(early, RenderGanttSvg(View(), Day(2026, 9, 1)));
}

// A milestone dated 9999 spans about 96,000 months: the ticks thin out to
// whole years so the chart stays a few kilobytes (it was 11 MB).
TEST(GanttSvgTest, AFarFutureDateThinsTheTicksInsteadOfGrowingTheChart) {
  v1::GanttView view;
  *view.mutable_contract()->mutable_start_date() = Day(2026, 3, 2);
  *view.mutable_contract()->mutable_expected_end_date() = Day(2027, 3, 30);
  v1::GanttMilestone& typo = *view.add_milestones();
  typo.set_title("Launch");
  *typo.mutable_planned_start() = Day(2026, 5, 1);
  *typo.mutable_planned_end() = Day(9999, 12, 31);
  const std::string svg = RenderGanttSvg(view, Day(2026, 7, 1));
  const size_t ticks = Occurrences(svg, "class=\"tick\"");
  EXPECT_GE(ticks, 2u);
  EXPECT_LE(ticks, 37u);
  EXPECT_LT(svg.size(), 16u * 1024) << svg.size();
  EXPECT_TRUE(absl::StrContains(svg, ">2026-03</text>"));
  EXPECT_EQ(Occurrences(svg, "<svg "), 1u);
  EXPECT_EQ(Occurrences(svg, "</svg>"), 1u);
}

TEST(EscapeXmlTest, ReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(EscapeXml("plain"), "plain");
}

}  // namespace
}  // namespace coopcraft::projections
