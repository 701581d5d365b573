// SecurityFixture: a real coopcraftd on loopback, tokens of each role made
// through AdminService with the bootstrap ADMIN token, and a way to call any
// RPC by name.
#ifndef COOPCRAFT_TESTS_INTEGRATION_SECURITY_SECURITY_FIXTURE_H_
#define COOPCRAFT_TESTS_INTEGRATION_SECURITY_SECURITY_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coopcraft/v1/admin_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {

// A client context with a deadline long enough for a sanitized build.
std::unique_ptr<grpc::ClientContext> Deadline();

// Scopes of the tokens TokenFor() issues.
inline constexpr char kMentorId[] = "mentor-a";

class SecurityFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  // Extra coopcraftd flags of a fixture.
  virtual std::vector<std::string> ServerFlags() const { return {}; }

  // A token of `role` (one per role, made on first use): CPAS scoped to
  // kCpasId, MENTOR to kMentorId, PARTNER to kPartnerOrganisationId.
  std::string TokenFor(v1::Role role);
  // Issues a token through AdminService with the bootstrap ADMIN token.
  absl::StatusOr<v1::CreateTokenResponse> CreateToken(
      const std::string& principal, v1::Role role, const std::string& scope);
  // Revokes `token_id` through AdminService with the bootstrap ADMIN token.
  absl::StatusOr<v1::RevokeTokenResponse> RevokeToken(
      const std::string& token_id);
  // Calls `method` ("package.Service/Rpc") with an empty request message,
  // reading any responses, and returns how it ended.
  grpc::Status CallWithEmptyRequest(const std::string& token,
                                    const std::string& method);

  // Stops the server with `signal` (SIGKILL to stand for a crash), runs
  // `while_stopped` (to change the data dir as a crash part-way through an
  // operation would have left it), and starts it again on the same data
  // dir; server() and CreateToken then use the new process.
  void Restart(int signal, const std::function<void()>& while_stopped);

  ServerProcess& server() { return *process_; }
  const std::string& data_dir() const { return data_dir_; }

 private:
  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::map<v1::Role, std::string> tokens_;
};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_INTEGRATION_SECURITY_SECURITY_FIXTURE_H_
