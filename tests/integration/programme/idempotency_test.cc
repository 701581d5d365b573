// request_id makes commands safe to retry (AIP-155): a retry returns the
// first result and writes nothing, forever; a request_id belongs to one
// resource.
#include <grpcpp/grpcpp.h>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;

constexpr char kCall[] = "call-idem";
constexpr char kProject[] = "app-idem";
constexpr char kOtherProject[] = "app-other";

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ProgrammeServer::Start();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(client().Call(OpenCall(kCall)).ok());
    ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kProject).ok());
  }

  const ProgrammeClient& client() const { return server_->client(); }

  // Sends `request`, another action on its project, then `request` again:
  // the retry gets the first result and writes nothing.
  void ExpectRetryAfterALaterWriteGetsTheFirstResult(
      const v1::LogActionRequest& request) {
    absl::StatusOr<v1::WriteResult> first = client().Call(request);
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_TRUE(client().Call(LogAction(kProject, "action-2")).ok());
    const uint64_t head = server_->Head();
    absl::StatusOr<v1::WriteResult> retry = client().Call(request);
    ASSERT_TRUE(retry.ok()) << retry.status();
    EXPECT_TRUE(MessageDifferencer::Equals(*retry, *first))
        << retry->DebugString() << " vs " << first->DebugString();
    EXPECT_EQ(server_->Head(), head);
  }

  std::unique_ptr<ProgrammeServer> server_;
};

TEST_F(IdempotencyTest, RetriedCommandReturnsTheFirstResultAndWritesNothing) {
  const v1::LogActionRequest request = LogAction(kProject, "action-1");
  absl::StatusOr<v1::WriteResult> first = client().Call(request);
  ASSERT_TRUE(first.ok()) << first.status();
  const uint64_t head = server_->Head();
  absl::StatusOr<v1::WriteResult> retry = client().Call(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*retry, *first))
      << retry->DebugString() << " vs " << first->DebugString();
  EXPECT_EQ(server_->Head(), head);
}

// A version 7 request id derives its event ids differently (they keep its
// timestamp; see EventIdForRequest), and is retried just the same.
TEST_F(IdempotencyTest, TimeOrderedRequestIdIsRetriedLikeAnyOther) {
  v1::LogActionRequest request = LogAction(kProject, "action-1");
  request.set_request_id(NewTimeOrderedRequestId());
  ExpectRetryAfterALaterWriteGetsTheFirstResult(request);
}

TEST_F(IdempotencyTest, RetryIsAnsweredAfterLaterWritesToTheStream) {
  ExpectRetryAfterALaterWriteGetsTheFirstResult(
      LogAction(kProject, "action-1"));
}

TEST_F(IdempotencyTest, RetryOfAStreamsFirstCommandIsNotRefusedAsRepeated) {
  const v1::OpenCallRequest request = OpenCall("call-retried");
  absl::StatusOr<v1::WriteResult> first = client().Call(request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::WriteResult> retry = client().Call(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*retry, *first));
}

TEST_F(IdempotencyTest, RequestIdReusedOnAnotherResourceIsAlreadyExists) {
  ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kOtherProject).ok());
  const v1::LogActionRequest request = LogAction(kProject, "action-1");
  ASSERT_TRUE(client().Call(request).ok());
  const uint64_t head = server_->Head();
  v1::LogActionRequest elsewhere = request;
  elsewhere.set_project_id(kOtherProject);
  EXPECT_EQ(client().Send(elsewhere).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(server_->Head(), head);
}

}  // namespace
}  // namespace coopcraft::testing
