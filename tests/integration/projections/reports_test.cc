// Report queries over a real coopcraftd: a call's funnel and group meeting
// in GetCohort, a project's milestones in GetGantt (data and SVG), a small
// period's participants suppressed in GetFunderReport, and bad requests
// refused with the field named.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-reports";
constexpr char kProject[] = "app-r1";

bool Names(const grpc::Status& status, const std::string& field) {
  const std::vector<std::string> fields = BadRequestFields(status);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto process = ServerProcess::Start({.data_dir = dir_.path() + "/data"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    client_ = std::make_unique<ProgrammeClient>(process_->Channel());
    queries_ = v1::QueryService::NewStub(process_->Channel());
    Write(OpenCall(kCall));
  }

  template <typename Request>
  void Write(const Request& request) {
    auto written = client_->Call(request);
    ASSERT_TRUE(written.ok()) << written.status();
    position_ = std::max(position_, written->position());
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
  uint64_t position_ = 0;
};

TEST_F(ReportsTest, CohortShowsTheFunnelAndTheGroupMeeting) {
  ASSERT_TRUE(OpenProjectThroughSelection(*client_, kCall, kProject).ok());
  Write(SubmitApplication("app-r2", kCall));
  Write(ReviewApplication("app-r2", "reviewer-1",
                          v1::REVIEW_RECOMMENDATION_WAITLIST));
  Write(RecordCpasOpinion("app-r2"));
  Write(WaitlistCandidate("app-r2", 1));
  Write(SubmitApplication("app-r3", kCall));
  Write(ReviewApplication("app-r3", "reviewer-1",
                          v1::REVIEW_RECOMMENDATION_REJECT));
  Write(RejectCandidate("app-r3"));
  Write(SubmitApplication("app-r4", kCall));
  Write(WithdrawApplication("app-r4"));
  Write(SubmitApplication("app-r5", kCall));
  v1::RecordGroupMeetingRequest meeting =
      RecordGroupMeeting(kCall, "meeting-1", Day(2026, 3, 9), {kProject});
  v1::Absence* absence = meeting.add_absences();
  absence->set_project_id("app-r9");
  absence->set_excused(true);
  Write(meeting);

  v1::GetCohortRequest request;
  request.set_call_id(kCall);
  request.set_min_position(position_);
  v1::GetCohortResponse response;
  grpc::Status status =
      queries_->GetCohort(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::SelectionFunnel& funnel = response.cohort().funnel();
  EXPECT_EQ(funnel.applied(), 5);
  EXPECT_EQ(funnel.reviewed(), 3);
  EXPECT_EQ(funnel.selected(), 1);
  EXPECT_EQ(funnel.waitlisted(), 1);
  EXPECT_EQ(funnel.rejected(), 1);
  EXPECT_EQ(funnel.withdrawn(), 1);
  EXPECT_EQ(funnel.pending(), 1);
  ASSERT_EQ(response.cohort().meetings_size(), 1);
  EXPECT_EQ(response.cohort().meetings(0).present(), 1);
  EXPECT_EQ(response.cohort().meetings(0).expected(), 2);
  EXPECT_DOUBLE_EQ(response.cohort().attendance_rate(), 0.5);
  EXPECT_GE(response.position(), position_);
}

TEST_F(ReportsTest, GanttShowsStagesAndTheMovedMilestoneInDataAndSvg) {
  ASSERT_TRUE(OpenProjectThroughSelection(*client_, kCall, kProject).ok());
  v1::PlanMilestoneRequest plan =
      PlanMilestone(kProject, "m-1", Day(2026, 4, 1), Day(2026, 4, 30));
  plan.set_title("Prototype <v1> & demo");
  Write(plan);
  Write(MoveMilestone(kProject, "m-1", Day(2026, 5, 1), Day(2026, 5, 31)));
  Write(CompleteMilestone(kProject, "m-1", Day(2026, 6, 2)));

  v1::GetGanttRequest request;
  request.set_project_id(kProject);
  request.set_min_position(position_);
  v1::GetGanttResponse response;
  grpc::Status status = queries_->GetGantt(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::GanttView& gantt = response.gantt();
  ASSERT_GE(gantt.stages_size(), 1);
  EXPECT_EQ(gantt.stages(0).stage(), v1::PROJECT_STAGE_ROADMAP);
  ASSERT_EQ(gantt.milestones_size(), 1);
  EXPECT_EQ(gantt.milestones(0).first_planned_start().month(), 4);
  EXPECT_EQ(gantt.milestones(0).planned_start().month(), 5);
  EXPECT_EQ(gantt.milestones(0).completed_on().day(), 2);
  EXPECT_EQ(gantt.milestones(0).times_moved(), 1);
  EXPECT_TRUE(absl::StrContains(response.svg(), "<svg "));
  EXPECT_TRUE(
      absl::StrContains(response.svg(), "Prototype &lt;v1&gt; &amp; demo"));
  EXPECT_FALSE(absl::StrContains(response.svg(), "<v1>"));
}

TEST_F(ReportsTest, FunderReportSuppressesASmallGroup) {
  ASSERT_TRUE(OpenProjectThroughSelection(*client_, kCall, kProject).ok());
  ASSERT_TRUE(OpenProjectThroughSelection(*client_, kCall, "app-r2").ok());
  auto head = client_->HeadPosition();
  ASSERT_TRUE(head.ok());
  v1::GetFunderReportRequest request;
  *request.mutable_period_start() = Day(2026, 1, 1);
  *request.mutable_period_end() = Day(2026, 12, 31);
  request.set_min_position(*head);
  v1::GetFunderReportResponse response;
  grpc::Status status =
      queries_->GetFunderReport(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.report().participants().suppressed());
  EXPECT_FALSE(response.report().participants().has_count());
  ASSERT_EQ(response.report().by_employing_cpas_size(), 1);
  EXPECT_EQ(response.report().by_employing_cpas(0).employing_cpas_id(),
            kCpasId);
  EXPECT_TRUE(
      response.report().by_employing_cpas(0).participants().suppressed());
  EXPECT_EQ(response.report().exits().count(), 0);
  EXPECT_TRUE(response.report().exits().has_count());

  // A period before any contract counts nobody, shown as 0.
  *request.mutable_period_start() = Day(2020, 1, 1);
  *request.mutable_period_end() = Day(2020, 12, 31);
  status = queries_->GetFunderReport(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.report().participants().has_count());
  EXPECT_EQ(response.report().participants().count(), 0);
}

TEST_F(ReportsTest, BadRequestsAreInvalidArgumentNamingTheField) {
  v1::GetFunderReportResponse report;
  v1::GetFunderReportRequest reversed;
  *reversed.mutable_period_start() = Day(2026, 6, 1);
  *reversed.mutable_period_end() = Day(2026, 5, 31);
  grpc::Status status =
      queries_->GetFunderReport(Context().get(), reversed, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status, "period_end")) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                "period_end: must not be before period_start"))
      << status.error_message();

  v1::GetFunderReportRequest missing;
  *missing.mutable_period_end() = Day(2026, 5, 31);
  status = queries_->GetFunderReport(Context().get(), missing, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status, "period_start")) << status.error_message();

  v1::GetFunderReportRequest malformed;
  *malformed.mutable_period_start() = Day(2026, 2, 30);
  *malformed.mutable_period_end() = Day(2026, 5, 31);
  malformed.set_employing_cpas_id("CPAS Ixelles");
  status = queries_->GetFunderReport(Context().get(), malformed, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status, "period_start")) << status.error_message();
  EXPECT_TRUE(Names(status, "employing_cpas_id")) << status.error_message();

  v1::GetCohortResponse cohort;
  status =
      queries_->GetCohort(Context().get(), v1::GetCohortRequest(), &cohort);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status, "call_id")) << status.error_message();

  v1::GetGanttResponse gantt;
  status = queries_->GetGantt(Context().get(), v1::GetGanttRequest(), &gantt);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status, "project_id")) << status.error_message();
}

TEST_F(ReportsTest, UnknownCallAndProjectAreNotFound) {
  v1::GetCohortRequest cohort_request;
  cohort_request.set_call_id("call-none");
  v1::GetCohortResponse cohort;
  EXPECT_EQ(queries_->GetCohort(Context().get(), cohort_request, &cohort)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetGanttRequest gantt_request;
  gantt_request.set_project_id("app-none");
  v1::GetGanttResponse gantt;
  EXPECT_EQ(
      queries_->GetGantt(Context().get(), gantt_request, &gantt).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace coopcraft::testing
