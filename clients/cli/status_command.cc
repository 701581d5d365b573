// `coopcraft status`: is the server up, and what is it?
#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "clients/cli/commands.h"
#include "coopcraft/v1/server_info.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace coopcraft::cli {
namespace {

int Fail(const char* what, const grpc::Status& status) {
  std::fprintf(stderr, "coopcraft: %s failed: %d %s\n", what,
               static_cast<int>(status.error_code()),
               status.error_message().c_str());
  return static_cast<int>(status.error_code());
}

}  // namespace

int RunStatus(const GlobalOptions& options,
              const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "coopcraft status takes no arguments\n");
    return 2;
  }
  auto channel = OpenChannel(options);

  grpc::ClientContext health_context;
  health_context.set_deadline(
      absl::ToChronoTime(absl::Now() + options.timeout));
  grpc::health::v1::HealthCheckResponse health;
  grpc::Status status = grpc::health::v1::Health::NewStub(channel)->Check(
      &health_context, grpc::health::v1::HealthCheckRequest(), &health);
  if (!status.ok()) return Fail("health check", status);

  grpc::ClientContext info_context;
  info_context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  coopcraft::v1::GetServerInfoResponse info;
  status = coopcraft::v1::ServerInfoService::NewStub(channel)->GetServerInfo(
      &info_context, coopcraft::v1::GetServerInfoRequest(), &info);
  if (!status.ok()) return Fail("GetServerInfo", status);

  std::printf("server:    %s\n", options.server.c_str());
  std::printf(
      "health:    %s\n",
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(health.status())
          .c_str());
  std::printf("version:   %s (%s)\n", info.version().c_str(),
              info.build().c_str());
  std::printf("data dir:  %s\n", info.data_dir().c_str());
  std::printf("started:   %s\n", info.start_time().c_str());
  std::printf("head:      %llu\n",
              static_cast<unsigned long long>(info.head_position()));
  return health.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : static_cast<int>(grpc::StatusCode::UNAVAILABLE);
}

}  // namespace coopcraft::cli
