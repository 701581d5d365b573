// Programme rules refused over gRPC: FAILED_PRECONDITION whose
// google.rpc.ErrorInfo carries the rule's stable reason, and nothing written;
// a record the project does not have is NOT_FOUND the same way.
#include <grpcpp/grpcpp.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-rules";
constexpr char kApplication[] = "app-rules";

class DomainRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ProgrammeServer::Start();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(client().Call(OpenCall(kCall)).ok());
  }

  const ProgrammeClient& client() const { return server_->client(); }

  // Sends `request` and expects the rule `reason` to refuse it with `code`,
  // with the log head unchanged.
  template <typename Request>
  void ExpectRefused(
      const Request& request, const std::string& reason,
      grpc::StatusCode code = grpc::StatusCode::FAILED_PRECONDITION) {
    const uint64_t head = server_->Head();
    grpc::Status status = client().Send(request);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(ErrorReason(status), reason) << status.error_message();
    EXPECT_EQ(server_->Head(), head);
  }

  std::unique_ptr<ProgrammeServer> server_;
};

TEST_F(DomainRefusalTest, SelectionWithoutCpasOpinionIsRefused) {
  ASSERT_TRUE(client().Call(SubmitApplication(kApplication, kCall)).ok());
  ASSERT_TRUE(client().Call(ReviewApplication(kApplication, "rev-1")).ok());
  ExpectRefused(SelectCandidate(kApplication), "SELECTION_NEEDS_CPAS_OPINION");
}

TEST_F(DomainRefusalTest, ProjectOpensFromASelectedCandidateOnlyOnce) {
  ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kApplication).ok());
  ExpectRefused(OpenProject(kApplication), "PROJECT_ALREADY_OPENED");
}

// The selection day reaches the project decider from the application
// stream: a contract dated the day before is refused, the day itself opens.
TEST_F(DomainRefusalTest, ContractStartsNoEarlierThanTheSelection) {
  ASSERT_TRUE(client().Call(SubmitApplication(kApplication, kCall)).ok());
  ASSERT_TRUE(client().Call(ReviewApplication(kApplication, "rev-1")).ok());
  ASSERT_TRUE(client().Call(RecordCpasOpinion(kApplication)).ok());
  const v1::SelectCandidateRequest select = SelectCandidate(kApplication);
  ASSERT_TRUE(client().Call(select).ok());
  v1::OpenProjectRequest open = OpenProject(kApplication);
  const v1::Date selected_on = select.decided_on();
  *open.mutable_contract_start_date() =
      Day(selected_on.year(), selected_on.month(), selected_on.day() - 1);
  ExpectRefused(open, "CONTRACT_START_BEFORE_SELECTION");
  *open.mutable_contract_start_date() = selected_on;
  open.set_request_id(NewRequestId());
  auto opened = client().Call(open);
  EXPECT_TRUE(opened.ok()) << opened.status();
}

TEST_F(DomainRefusalTest, DeliverableIsValidatedOnlyAfterSubmission) {
  ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kApplication).ok());
  ASSERT_TRUE(
      client()
          .Call(DraftDeliverable(kApplication, v1::DELIVERABLE_KIND_SWOT))
          .ok());
  ExpectRefused(ValidateDeliverable(kApplication, v1::DELIVERABLE_KIND_SWOT),
                "DELIVERABLE_NOT_SUBMITTED");
}

TEST_F(DomainRefusalTest, HandOffNeedsTheFinalEvaluation) {
  ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kApplication).ok());
  ExpectRefused(ProposeHandOff(kApplication, "handoff-1", Day(2026, 10, 1)),
                "EVALUATION_REQUIRED");
}

TEST_F(DomainRefusalTest, RecordsTheProjectDoesNotHaveAreNotFound) {
  ASSERT_TRUE(OpenProjectThroughSelection(client(), kCall, kApplication).ok());
  ExpectRefused(CompleteMilestone(kApplication, "milestone-x", Day(2026, 4, 1)),
                "MILESTONE_NOT_FOUND", grpc::StatusCode::NOT_FOUND);
  ExpectRefused(AcceptHandOff(kApplication, "handoff-x"), "HANDOFF_NOT_FOUND",
                grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace coopcraft::testing
