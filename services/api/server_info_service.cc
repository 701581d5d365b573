// ServerInfoService: answers from startup facts and the log head.
#include "services/api/server_info_service.h"

#include "services/api/method_names.h"
#include "services/api/status_mapping.h"

namespace coopcraft::api {

grpc::ServerUnaryReactor* ServerInfoService::GetServerInfo(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::GetServerInfoRequest* /*request*/,
    coopcraft::v1::GetServerInfoResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = guard_->Admit(
      *context, COOPCRAFT_METHOD(ServerInfoService, GetServerInfo));
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  response->set_version(identity_.version);
  response->set_build(identity_.build);
  // Where the server keeps its files is the operators' business; partners,
  // mentors, CPAS workers, auditors and dashboards only need to know it
  // answers, and how far its log is.
  if (caller->role == coopcraft::v1::ROLE_ADMIN ||
      caller->role == coopcraft::v1::ROLE_COACH) {
    response->set_data_dir(identity_.data_dir);
  }
  response->set_start_time(absl::FormatTime(
      "%Y-%m-%dT%H:%M:%E3SZ", identity_.start_time, absl::UTCTimeZone()));
  response->set_head_position(log_->HeadPosition());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace coopcraft::api
