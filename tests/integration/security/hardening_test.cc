// Limits of the real coopcraftd: an oversized request is refused before it
// is parsed, and the limit itself is validated at startup.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/security/security_fixture.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

class HardeningTest : public SecurityFixture {
 protected:
  std::vector<std::string> ServerFlags() const override {
    return {"--max_message_bytes=65536"};
  }

  grpc::Status GetProjectWithIdOf(size_t bytes) {
    v1::GetProjectRequest request;
    request.set_project_id(std::string(bytes, 'a'));
    v1::GetProjectResponse response;
    return v1::QueryService::NewStub(server().Channel())
        ->GetProject(Deadline().get(), request, &response);
  }
};

TEST_F(HardeningTest, RequestsOverTheMessageLimitAreRefusedUnread) {
  EXPECT_EQ(GetProjectWithIdOf(100 * 1024).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Under the limit, the field's own limit answers, naming it.
  const grpc::Status status = GetProjectWithIdOf(2 * 1024);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestFields(status), std::vector<std::string>{"project_id"});
}

TEST(HardeningStartupTest, AMessageLimitOutOfRangeIsRefused) {
  const ExitInfo run = ServerProcess::RunToExit(
      {"--listen=127.0.0.1:0", "--max_message_bytes=10"}, absl::Seconds(30));
  EXPECT_TRUE(run.exited);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--max_message_bytes"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace coopcraft::testing
