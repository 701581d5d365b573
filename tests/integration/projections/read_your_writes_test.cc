// Read-your-writes over gRPC: a query carrying the position a command
// returned shows that command's effect; one beyond the log is refused.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/project_queries.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

class ReadYourWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto process = ServerProcess::Start({.data_dir = dir_.path() + "/data"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    client_ = std::make_unique<ProgrammeClient>(process_->Channel());
    queries_ = v1::QueryService::NewStub(process_->Channel());
    ASSERT_TRUE(client_->Call(OpenCall("call-ryw")).ok());
    ASSERT_TRUE(
        OpenProjectThroughSelection(*client_, "call-ryw", "app-ryw").ok());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
};

TEST_F(ReadYourWritesTest, QueryAtTheCommandsPositionShowsIt100Times) {
  for (int i = 1; i <= 100; ++i) {
    auto written = client_->Call(LogAction(
        "app-ryw", "action-" + std::to_string(i), v1::ACTION_LINE_FUNDING));
    ASSERT_TRUE(written.ok()) << written.status();
    auto response = GetProjectAt(*queries_, "app-ryw", written->position());
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_GE(response->position(), written->position());
    ASSERT_EQ(response->project().action_counts_size(), 1);
    ASSERT_EQ(response->project().action_counts(0).count(), i);
  }
}

TEST_F(ReadYourWritesTest, PositionNeverWrittenIsOutOfRangeAtOnce) {
  // Refused without waiting, however long the caller would wait: no reply
  // ever named a position beyond the head.
  const absl::Time start = absl::Now();
  const absl::Status status =
      GetProjectAt(*queries_, "app-ryw", 1000000, absl::Seconds(20)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("min_position"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));

  auto head = client_->HeadPosition();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_TRUE(GetProjectAt(*queries_, "app-ryw", *head).ok());
  EXPECT_EQ(GetProjectAt(*queries_, "app-ryw", *head + 1).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST_F(ReadYourWritesTest, UnknownProjectIsNotFound) {
  grpc::ClientContext context;
  v1::GetProjectRequest request;
  request.set_project_id("app-none");
  v1::GetProjectResponse response;
  EXPECT_EQ(queries_->GetProject(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReadYourWritesTest, MalformedQueriesNameEveryBadField) {
  grpc::ClientContext get_context;
  v1::GetProjectRequest get;
  get.set_project_id("Not An Id!");
  v1::GetProjectResponse project;
  grpc::Status status = queries_->GetProject(&get_context, get, &project);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status), ::testing::ElementsAre("project_id"));

  grpc::ClientContext list_context;
  v1::ListProjectsRequest list;
  list.set_page_size(-1);
  list.set_page_token("not-a-token");
  list.set_employing_cpas_id("CPAS X");
  list.set_call_id("call/1");
  list.set_stage(static_cast<v1::ProjectStage>(99));
  list.set_risk_flag(static_cast<v1::RiskFlag>(99));
  v1::ListProjectsResponse projects;
  status = queries_->ListProjects(&list_context, list, &projects);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status),
              ::testing::UnorderedElementsAre("page_size", "page_token",
                                              "employing_cpas_id", "call_id",
                                              "stage", "risk_flag"));
}

}  // namespace
}  // namespace coopcraft::testing
