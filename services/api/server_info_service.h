// ServerInfoService: what a running coopcraftd says about itself.
#ifndef COOPCRAFT_SERVICES_API_SERVER_INFO_SERVICE_H_
#define COOPCRAFT_SERVICES_API_SERVER_INFO_SERVICE_H_

#include <string>

#include "absl/time/time.h"
#include "coopcraft/v1/server_info.grpc.pb.h"
#include "services/auth/guard.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// Facts fixed at startup.
struct ServerIdentity {
  std::string version;
  std::string build;
  std::string data_dir;
  absl::Time start_time;
};

// Thread-safe; `log` must outlive the service.
class ServerInfoService final
    : public coopcraft::v1::ServerInfoService::CallbackService {
 public:
  ServerInfoService(const auth::Guard* guard, ServerIdentity identity,
                    const storage::EventLog* log)
      : guard_(guard), identity_(std::move(identity)), log_(log) {}

  grpc::ServerUnaryReactor* GetServerInfo(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::GetServerInfoRequest* request,
      coopcraft::v1::GetServerInfoResponse* response) override;

 private:
  const auth::Guard* const guard_;
  const ServerIdentity identity_;
  const storage::EventLog* const log_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_SERVER_INFO_SERVICE_H_
