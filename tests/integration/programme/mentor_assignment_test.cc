// AssignMentor's day over gRPC: the day given in the request reaches the
// event and the project view, and a meeting dated before it is refused
// with its rule's reason. The rules themselves are tested in
// tests/unit/domain_project/project_mentor_test.cc.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/project_queries.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-mentor";
constexpr char kProject[] = "app-mentor";

class MentorAssignmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto process = ServerProcess::Start({.data_dir = dir_.path() + "/data"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    client_ = std::make_unique<ProgrammeClient>(process_->Channel());
    queries_ = v1::QueryService::NewStub(process_->Channel());
    ASSERT_TRUE(client_->Call(OpenCall(kCall)).ok());
    ASSERT_TRUE(OpenProjectThroughSelection(*client_, kCall, kProject).ok());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
};

TEST_F(MentorAssignmentTest, TheDayGivenIsTheDayTheProjectShows) {
  auto written =
      client_->Call(AssignMentor(kProject, "mentor-1", Day(2026, 3, 16)));
  ASSERT_TRUE(written.ok()) << written.status();
  auto shown = GetProjectAt(*queries_, kProject, written->position());
  ASSERT_TRUE(shown.ok()) << shown.status();
  const v1::MentoringView& mentoring = shown->project().mentoring();
  EXPECT_EQ(mentoring.mentor_id(), "mentor-1");
  EXPECT_EQ(mentoring.assigned_on().year(), 2026);
  EXPECT_EQ(mentoring.assigned_on().month(), 3);
  EXPECT_EQ(mentoring.assigned_on().day(), 16);
}

TEST_F(MentorAssignmentTest, AMeetingBeforeTheAssignmentIsRefused) {
  ASSERT_TRUE(
      client_->Call(AssignMentor(kProject, "mentor-1", Day(2026, 3, 16))).ok());
  auto head = client_->HeadPosition();
  ASSERT_TRUE(head.ok()) << head.status();
  grpc::Status status =
      client_->Send(RecordMentorMeeting(kProject, "mm-1", Day(2026, 3, 13)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_EQ(ErrorReason(status), "MEETING_BEFORE_MENTOR_ASSIGNED");
  auto after = client_->HeadPosition();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *head);
  EXPECT_TRUE(
      client_->Call(RecordMentorMeeting(kProject, "mm-1", Day(2026, 3, 16)))
          .ok());
}

}  // namespace
}  // namespace coopcraft::testing
