// AuditService.ReplayProjection against the real coopcraftd: the project
// view replayed as of a position equals what GetProject showed when the
// live projection stood exactly at that position.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/project_queries.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kProject[] = "app-replay";
// 9999-12-31T23:59:59Z, the last second google.protobuf.Timestamp allows.
constexpr int64_t kTimestampMaxSeconds = 253402300799;

// The parts of a view computed at query time from today's date, not from
// the log: a replay stores the view without them.
v1::ProjectView WithoutQueryTimeFields(v1::ProjectView view) {
  view.mutable_contract()->clear_days_left();
  view.clear_risk_flags();
  return view;
}

struct Replayed {
  grpc::Status status;
  v1::ReplayHeader header;
  std::vector<v1::ReplayedEntry> entries;
};

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto process = ServerProcess::Start({.data_dir = dir_.path() + "/data"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    client_ = std::make_unique<ProgrammeClient>(process_->Channel());
    queries_ = v1::QueryService::NewStub(process_->Channel());
    audit_ = v1::AuditService::NewStub(process_->Channel());
    ASSERT_TRUE(client_->Call(OpenCall("call-replay")).ok());
    ASSERT_TRUE(
        OpenProjectThroughSelection(*client_, "call-replay", kProject).ok());
  }

  Replayed Replay(const v1::ReplayProjectionRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    auto reader = audit_->ReplayProjection(&context, request);
    Replayed replayed;
    v1::ReplayProjectionResponse message;
    bool first = true;
    while (reader->Read(&message)) {
      if (first) {
        EXPECT_TRUE(message.has_header());
        replayed.header = message.header();
        first = false;
      }
      for (v1::ReplayedEntry& entry : *message.mutable_entries()) {
        replayed.entries.push_back(std::move(entry));
      }
    }
    replayed.status = reader->Finish();
    return replayed;
  }

  static v1::ReplayProjectionRequest ProjectViewAsOf(uint64_t position) {
    v1::ReplayProjectionRequest request;
    request.set_projection("project_view");
    request.set_as_of_position(position);
    request.set_key_prefix(kProject);
    return request;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

TEST_F(ReplayTest, ReplayAsOfAPositionEqualsTheLiveViewRecordedThere) {
  // Nothing else writes, so each response's position is the command's own.
  std::vector<v1::GetProjectResponse> recorded;
  for (int i = 1; i <= 6; ++i) {
    absl::StatusOr<v1::WriteResult> written =
        i % 2 == 0
            ? client_->Call(LogAction(kProject, "action-" + std::to_string(i),
                                      v1::ACTION_LINE_COMMUNICATION))
            : client_->Call(RecordInterview(kProject, DaysFromToday(-i)));
    ASSERT_TRUE(written.ok()) << written.status();
    auto shown = GetProjectAt(*queries_, kProject, written->position());
    ASSERT_TRUE(shown.ok()) << shown.status();
    recorded.push_back(*std::move(shown));
    ASSERT_EQ(recorded.back().position(), written->position());
  }
  for (const v1::GetProjectResponse& live : recorded) {
    Replayed replayed = Replay(ProjectViewAsOf(live.position()));
    ASSERT_TRUE(replayed.status.ok()) << replayed.status.error_message();
    EXPECT_EQ(replayed.header.projection(), "project_view");
    EXPECT_EQ(replayed.header.position(), live.position());
    ASSERT_EQ(replayed.header.entry_count(), 1u);
    ASSERT_EQ(replayed.entries.size(), 1u);
    EXPECT_EQ(replayed.entries[0].key(), kProject);
    v1::ProjectView view;
    ASSERT_TRUE(replayed.entries[0].state().UnpackTo(&view));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        view, WithoutQueryTimeFields(live.project())))
        << "at position " << live.position() << "\nreplayed:\n"
        << view.DebugString() << "\nlive:\n"
        << live.project().DebugString();
  }
}

TEST_F(ReplayTest, ReplayAsOfATimeStopsAtTheEventsRecordedBeforeIt) {
  auto first = client_->Call(
      LogAction(kProject, "action-before", v1::ACTION_LINE_FUNDING));
  ASSERT_TRUE(first.ok()) << first.status();
  auto live = GetProjectAt(*queries_, kProject, first->position());
  ASSERT_TRUE(live.ok()) << live.status();
  absl::SleepFor(absl::Milliseconds(20));
  const absl::Time between = absl::Now();
  absl::SleepFor(absl::Milliseconds(20));
  ASSERT_TRUE(
      client_
          ->Call(LogAction(kProject, "action-after", v1::ACTION_LINE_FUNDING))
          .ok());

  v1::ReplayProjectionRequest request;
  request.set_projection("project_view");
  const int64_t micros = absl::ToUnixMicros(between);
  request.mutable_as_of_time()->set_seconds(micros / 1000000);
  request.mutable_as_of_time()->set_nanos(
      static_cast<int32_t>(micros % 1000000) * 1000);
  request.set_key_prefix(kProject);
  Replayed replayed = Replay(request);
  ASSERT_TRUE(replayed.status.ok()) << replayed.status.error_message();
  EXPECT_EQ(replayed.header.position(), first->position());
  ASSERT_EQ(replayed.entries.size(), 1u);
  v1::ProjectView view;
  ASSERT_TRUE(replayed.entries[0].state().UnpackTo(&view));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      view, WithoutQueryTimeFields(live->project())));
}

TEST_F(ReplayTest, ReplayLeavesTheLiveViewAlone) {
  auto written =
      client_->Call(LogAction(kProject, "action-1", v1::ACTION_LINE_FUNDING));
  ASSERT_TRUE(written.ok());
  Replayed replayed = Replay(ProjectViewAsOf(1));
  ASSERT_TRUE(replayed.status.ok()) << replayed.status.error_message();
  EXPECT_EQ(replayed.header.position(), 1u);
  EXPECT_TRUE(replayed.entries.empty());  // position 1 opened the call only
  auto after = GetProjectAt(*queries_, kProject, written->position());
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->project().action_counts_size(), 1);
  EXPECT_EQ(after->project().action_counts(0).count(), 1);
}

TEST_F(ReplayTest, BadRequestsNameTheirField) {
  v1::ReplayProjectionRequest no_name;
  Replayed replayed = Replay(no_name);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(replayed.status.error_message(), HasSubstr("projection"));

  v1::ReplayProjectionRequest unknown;
  unknown.set_projection("no_such_view");
  replayed = Replay(unknown);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(replayed.status.error_message(), HasSubstr("project_view"));

  auto head = client_->HeadPosition();
  ASSERT_TRUE(head.ok());
  replayed = Replay(ProjectViewAsOf(*head + 1));
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(replayed.status.error_message(), HasSubstr("as_of_position"));

  v1::ReplayProjectionRequest bad_time = ProjectViewAsOf(1);
  bad_time.mutable_as_of_time()->set_seconds(1);
  bad_time.mutable_as_of_time()->set_nanos(-5);
  replayed = Replay(bad_time);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(replayed.status.error_message(), HasSubstr("as_of_time"));

  // The last instant a Timestamp holds is a bound like any other; one
  // second later is no instant at all.
  v1::ReplayProjectionRequest last_time = ProjectViewAsOf(1);
  last_time.mutable_as_of_time()->set_seconds(kTimestampMaxSeconds);
  EXPECT_TRUE(Replay(last_time).status.ok());
  v1::ReplayProjectionRequest beyond_time = last_time;
  beyond_time.mutable_as_of_time()->set_seconds(kTimestampMaxSeconds + 1);
  replayed = Replay(beyond_time);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(replayed.status), ElementsAre("as_of_time"));

  v1::ReplayProjectionRequest long_prefix = ProjectViewAsOf(1);
  long_prefix.set_key_prefix(std::string(201, 'a'));
  replayed = Replay(long_prefix);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(replayed.status), ElementsAre("key_prefix"));

  v1::ReplayProjectionRequest control_prefix = ProjectViewAsOf(1);
  control_prefix.set_key_prefix("project\x01");
  replayed = Replay(control_prefix);
  EXPECT_EQ(replayed.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(replayed.status), ElementsAre("key_prefix"));
}

}  // namespace
}  // namespace coopcraft::testing
