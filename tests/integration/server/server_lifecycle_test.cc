// The real coopcraftd on loopback: serving, refusing bad setups, stopping.
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/server_info.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<ServerProcess> StartServer(const std::string& data_dir) {
  auto server = ServerProcess::Start({.data_dir = data_dir});
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(
    const ServerProcess& server) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status =
      grpc::health::v1::Health::NewStub(server.Channel())
          ->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServerLifecycleTest, ReportsServingOverGrpcHealthCheck) {
  TempDir dir;
  auto server = StartServer(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Health(*server), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(ServerLifecycleTest, GetServerInfoNamesVersionAndDataDir) {
  TempDir dir;
  auto server = StartServer(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  grpc::ClientContext context;
  coopcraft::v1::GetServerInfoResponse info;
  ASSERT_TRUE(coopcraft::v1::ServerInfoService::NewStub(server->Channel())
                  ->GetServerInfo(&context, {}, &info)
                  .ok());
  EXPECT_FALSE(info.version().empty());
  EXPECT_FALSE(info.build().empty());
  EXPECT_EQ(info.data_dir(), dir.path() + "/data");
  EXPECT_EQ(info.head_position(), 0u);
}

TEST(ServerLifecycleTest, SigtermStopsCleanlyWithExitZero) {
  TempDir dir;
  auto server = StartServer(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  ExitInfo exit = server->Stop(SIGTERM);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("stopped cleanly"));
}

TEST(ServerLifecycleTest, RestartsOnTheSameDataDirAfterSigint) {
  TempDir dir;
  auto first = StartServer(dir.path() + "/data");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->Stop(SIGINT).exit_code, 0);
  auto second = StartServer(dir.path() + "/data");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Health(*second), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(ServerLifecycleTest, SecondInstanceOnSameDataDirFailsClearly) {
  TempDir dir;
  auto first = StartServer(dir.path() + "/data");
  ASSERT_NE(first, nullptr);
  ExitInfo second = ServerProcess::RunToExit(
      {"--listen=127.0.0.1:0", "--data_dir=" + dir.path() + "/data"},
      absl::Seconds(30));
  EXPECT_TRUE(second.exited);
  EXPECT_NE(second.exit_code, 0);
  EXPECT_THAT(second.output, HasSubstr("in use by another"));
  EXPECT_EQ(Health(*first), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(ServerLifecycleTest, TakenPortFailsClearly) {
  TempDir dir;
  auto first = StartServer(dir.path() + "/a");
  ASSERT_NE(first, nullptr);
  ExitInfo second = ServerProcess::RunToExit(
      {"--listen=" + first->address(), "--data_dir=" + dir.path() + "/b"},
      absl::Seconds(30));
  EXPECT_NE(second.exit_code, 0);
  EXPECT_THAT(second.output, HasSubstr("cannot listen on " + first->address()));
}

TEST(ServerLifecycleTest, DataDirThatIsAFileFailsClearly) {
  TempDir dir;
  const std::string file = dir.path() + "/not-a-dir";
  std::ofstream(file) << "x";
  ExitInfo run = ServerProcess::RunToExit(
      {"--listen=127.0.0.1:0", "--data_dir=" + file}, absl::Seconds(30));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("data dir " + file));
}

TEST(ServerLifecycleTest, CliStatusReachesTheServer) {
  TempDir dir;
  auto server = StartServer(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  ExitInfo run =
      RunProgram(COOPCRAFT_CLI_PATH,
                 {"--server=" + server->address(),
                  "--token_file=" + server->AdminTokenFile(), "status"},
                 absl::Seconds(30));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("SERVING"));
  EXPECT_THAT(run.output, HasSubstr(dir.path() + "/data"));
}

TEST(ServerLifecycleTest, CliStatusExitsWithUnavailableWhenNoServer) {
  // Bind a port and close it so nothing listens there.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  ExitInfo run =
      RunProgram(COOPCRAFT_CLI_PATH,
                 {absl::StrCat("--server=127.0.0.1:", ntohs(addr.sin_port)),
                  "--timeout=2s", "status"},
                 absl::Seconds(30));
  EXPECT_EQ(run.exit_code, static_cast<int>(grpc::StatusCode::UNAVAILABLE))
      << run.output;
}

}  // namespace
}  // namespace coopcraft::testing
