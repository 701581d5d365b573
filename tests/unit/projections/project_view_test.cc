// Project view: project events in, the expected ProjectView out, through
// the engine over an in-memory log.
#include <memory>
#include <string>

#include "coopcraft/v1/project_events.pb.h"
#include "gtest/gtest.h"
#include "services/app/event_envelope.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr char kProject[] = "app-1";

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

class ProjectViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = ProjectionEngine::Start(&log_, &store_, {&projection_});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::ProjectEvent opened;
    auto& e = *opened.mutable_project_opened();
    e.set_project_id(kProject);
    e.set_call_id("call-1");
    e.set_employing_cpas_id("cpas-ixelles");
    *e.mutable_contract_start_date() = Day(2026, 3, 2);
    e.set_target_worked_days(312);
    *e.mutable_expected_end_date() = Day(2027, 3, 30);
    Given(opened);
  }

  void Given(const v1::ProjectEvent& event,
             const std::string& stream = std::string("project-") + kProject) {
    auto packed = app::PackEnvelope(event);
    ASSERT_TRUE(packed.ok());
    auto appended =
        log_.Append(stream, storage::ExpectedRevision::Any(),
                    {{.type = packed->type, .payload = packed->payload}});
    ASSERT_TRUE(appended.ok()) << appended.status();
  }

  v1::ProjectView View() {
    EXPECT_TRUE(
        engine_->WaitUntil(log_.HeadPosition(), absl::Now() + absl::Seconds(10))
            .ok());
    auto view = projection_.Get(kProject, Day(2026, 4, 1));
    EXPECT_TRUE(view.has_value());
    return view.value_or(v1::ProjectView());
  }

  storage::MemoryEventLog log_;
  MemoryProjectionStore store_;
  ProjectViewProjection projection_;
  std::unique_ptr<ProjectionEngine> engine_;
};

TEST_F(ProjectViewTest, OpenedProjectIsInRoadmapWithSevenDeliverablesToDo) {
  v1::ProjectView view = View();
  EXPECT_EQ(view.stage(), v1::PROJECT_STAGE_ROADMAP);
  EXPECT_EQ(view.call_id(), "call-1");
  ASSERT_EQ(view.deliverables_size(), 7);
  EXPECT_EQ(view.deliverables(6).status(), v1::DELIVERABLE_STATUS_NOT_STARTED);
  EXPECT_EQ(view.mentoring().meetings_required(), 2);
  EXPECT_EQ(view.contract().days_left(), 363);
}

TEST_F(ProjectViewTest, ValidatingTheLastDeliverableMovesToFollowUp) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_deliverable_validated();
  e.set_kind(v1::DELIVERABLE_KIND_BUSINESS_MODEL);
  e.set_version(2);
  e.set_roadmap_complete(true);
  Given(event);
  v1::ProjectView view = View();
  EXPECT_EQ(view.stage(), v1::PROJECT_STAGE_FOLLOW_UP);
  EXPECT_EQ(view.deliverables(6).status(), v1::DELIVERABLE_STATUS_VALIDATED);
  EXPECT_EQ(view.deliverables(6).version(), 2);
}

TEST_F(ProjectViewTest, ActionsAreCountedPerLine) {
  v1::ProjectEvent event;
  event.mutable_action_logged()->set_line(v1::ACTION_LINE_FUNDING);
  Given(event);
  Given(event);
  event.mutable_action_logged()->set_line(v1::ACTION_LINE_COMMUNICATION);
  Given(event);
  v1::ProjectView view = View();
  ASSERT_EQ(view.action_counts_size(), 2);
  EXPECT_EQ(view.action_counts(0).line(), v1::ACTION_LINE_FUNDING);
  EXPECT_EQ(view.action_counts(0).count(), 2);
  EXPECT_EQ(view.action_counts(1).count(), 1);
}

TEST_F(ProjectViewTest, MentorMeetingsAreShownAgainstTheTwoRequired) {
  v1::ProjectEvent assigned;
  assigned.mutable_mentor_assigned()->set_mentor_id("mentor-7");
  *assigned.mutable_mentor_assigned()->mutable_assigned_on() = Day(2026, 3, 9);
  Given(assigned);
  v1::ProjectEvent held;
  held.mutable_mentor_meeting_held()->set_meetings_held(1);
  *held.mutable_mentor_meeting_held()->mutable_held_on() = Day(2026, 3, 20);
  Given(held);
  v1::ProjectView view = View();
  EXPECT_EQ(view.mentoring().mentor_id(), "mentor-7");
  EXPECT_EQ(view.mentoring().assigned_on().day(), 9);
  EXPECT_EQ(view.mentoring().meetings_held(), 1);
  EXPECT_EQ(view.mentoring().last_meeting_on().day(), 20);
}

TEST_F(ProjectViewTest, MilestoneShowsPlannedMovedAndCompleted) {
  v1::ProjectEvent planned;
  planned.mutable_milestone_planned()->set_milestone_id("m-1");
  *planned.mutable_milestone_planned()->mutable_end_date() = Day(2026, 5, 1);
  Given(planned);
  v1::ProjectEvent moved;
  moved.mutable_milestone_moved()->set_milestone_id("m-1");
  *moved.mutable_milestone_moved()->mutable_end_date() = Day(2026, 6, 1);
  Given(moved);
  v1::ProjectEvent completed;
  completed.mutable_milestone_completed()->set_milestone_id("m-1");
  *completed.mutable_milestone_completed()->mutable_completed_on() =
      Day(2026, 6, 3);
  Given(completed);
  v1::ProjectView view = View();
  ASSERT_EQ(view.milestones_size(), 1);
  EXPECT_EQ(view.milestones(0).end_date().month(), 6);
  EXPECT_EQ(view.milestones(0).times_moved(), 1);
  EXPECT_EQ(view.milestones(0).completed_on().day(), 3);
}

TEST_F(ProjectViewTest, FundingAndResourcesShowTheirDecisions) {
  v1::ProjectEvent submitted;
  submitted.mutable_funding_application_submitted()->set_funding_application_id(
      "f-1");
  Given(submitted);
  v1::ProjectEvent granted;
  granted.mutable_funding_application_granted()->set_funding_application_id(
      "f-1");
  granted.mutable_funding_application_granted()
      ->mutable_amount_granted()
      ->set_cents(300000);
  Given(granted);
  v1::ProjectEvent declined;
  declined.mutable_resource_request_declined()->set_resource_request_id("r-1");
  Given(declined);
  v1::ProjectView view = View();
  ASSERT_EQ(view.funding_applications_size(), 1);
  EXPECT_EQ(view.funding_applications(0).outcome(),
            v1::FUNDING_OUTCOME_GRANTED);
  EXPECT_EQ(view.funding_applications(0).amount_granted().cents(), 300000);
  EXPECT_EQ(view.resource_requests(0).decision(),
            v1::RESOURCE_DECISION_DECLINED);
}

TEST_F(ProjectViewTest, AcceptedHandOffThenEndAndCloseReachClosed) {
  v1::ProjectEvent proposed;
  proposed.mutable_hand_off_proposed()->set_handoff_id("h-1");
  Given(proposed);
  v1::ProjectEvent accepted;
  accepted.mutable_hand_off_accepted()->set_handoff_id("h-1");
  Given(accepted);
  EXPECT_EQ(View().stage(), v1::PROJECT_STAGE_HAND_OFF);
  v1::ProjectEvent ended;
  ended.mutable_contract_ended()->set_exit_outcome(v1::EXIT_OUTCOME_HAND_OFF);
  Given(ended);
  v1::ProjectEvent closed;
  closed.mutable_project_closed();
  Given(closed);
  v1::ProjectView view = View();
  EXPECT_EQ(view.hand_off().state(), v1::HAND_OFF_STATE_ACCEPTED);
  EXPECT_TRUE(view.contract().ended());
  EXPECT_EQ(view.stage(), v1::PROJECT_STAGE_CLOSED);
}

TEST_F(ProjectViewTest, EventsOfAProjectNeverOpenedAreIgnored) {
  v1::ProjectEvent event;
  event.mutable_action_logged()->set_line(v1::ACTION_LINE_HR);
  Given(event, "project-app-unknown");
  View();
  EXPECT_FALSE(projection_.Get("app-unknown", Day(2026, 4, 1)).has_value());
  EXPECT_EQ(projection_.size(), 1u);
}

TEST_F(ProjectViewTest, ListFiltersByCpasAndPagesInIdOrder) {
  for (const char* id : {"app-2", "app-3"}) {
    v1::ProjectEvent opened;
    opened.mutable_project_opened()->set_project_id(id);
    opened.mutable_project_opened()->set_employing_cpas_id("cpas-ixelles");
    Given(opened, std::string("project-") + id);
  }
  v1::ProjectEvent other;
  other.mutable_project_opened()->set_employing_cpas_id("cpas-molenbeek");
  Given(other, "project-app-4");
  View();
  ProjectFilter filter{.employing_cpas_id = "cpas-ixelles"};
  ProjectPage first = projection_.List(filter, "", 2, Day(2026, 4, 1));
  ASSERT_EQ(first.projects.size(), 2u);
  EXPECT_EQ(first.last_id, "app-2");
  ProjectPage second =
      projection_.List(filter, first.last_id, 2, Day(2026, 4, 1));
  ASSERT_EQ(second.projects.size(), 1u);
  EXPECT_EQ(second.projects[0].project_id(), "app-3");
  EXPECT_TRUE(second.last_id.empty());
}

}  // namespace
}  // namespace coopcraft::projections
