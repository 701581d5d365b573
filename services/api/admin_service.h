// AdminService: issues, lists and revokes bearer tokens. ADMIN only.
#ifndef COOPCRAFT_SERVICES_API_ADMIN_SERVICE_H_
#define COOPCRAFT_SERVICES_API_ADMIN_SERVICE_H_

#include "coopcraft/v1/admin_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/app/repositories.h"
#include "services/auth/guard.h"
#include "services/auth/token_store.h"
#include "services/privacy/person_key_store.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// What AdminService works on; none owned, all must outlive the service.
struct AdminParts {
  const auth::Guard* guard = nullptr;
  auth::TokenStore* tokens = nullptr;
  privacy::PersonKeyStore* keys = nullptr;
  storage::EventLog* log = nullptr;
  // Their cached states are dropped on erasure.
  app::Repositories* repositories = nullptr;
};

// Thread-safe. Token writes and erasures are synced (an erasure also
// compacts the key store), so they run on the service's own thread.
class AdminService final : public coopcraft::v1::AdminService::CallbackService {
 public:
  explicit AdminService(const AdminParts& parts) : parts_(parts) {}

  // INVALID_ARGUMENT naming principal, role or scope when malformed; a
  // scope is required for CPAS, MENTOR and PARTNER and refused otherwise.
  grpc::ServerUnaryReactor* CreateToken(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::CreateTokenRequest* request,
      coopcraft::v1::CreateTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListTokens(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::ListTokensRequest* request,
      coopcraft::v1::ListTokensResponse* response) override;
  // NOT_FOUND for an unknown token_id.
  grpc::ServerUnaryReactor* RevokeToken(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::RevokeTokenRequest* request,
      coopcraft::v1::RevokeTokenResponse* response) override;
  // INVALID_ARGUMENT naming request_id, person_id or ground.
  grpc::ServerUnaryReactor* ErasePerson(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::ErasePersonRequest* request,
      coopcraft::v1::ErasePersonResponse* response) override;

 private:
  // The work of ErasePerson, on pool_.
  absl::Status Erase(const coopcraft::v1::ErasePersonRequest& request,
                     const std::string& actor,
                     coopcraft::v1::ErasePersonResponse* response);

  const AdminParts parts_;
  WorkerPool pool_{1};
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_ADMIN_SERVICE_H_
