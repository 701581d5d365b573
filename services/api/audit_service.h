// AuditService: VerifyChain and ExportLog over the event log (tamper
// evidence for auditors; export files are verified offline, see
// storage/export_verifier.h).
#ifndef COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_
#define COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_

#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/auth/guard.h"
#include "services/privacy/access_trail.h"
#include "services/privacy/pseudonymizer.h"
#include "services/projections/projection_catalog.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// Thread-safe. `log` and `catalog` must outlive the service; destroy the
// service only after the gRPC server has shut down. Verification, export
// and replay run on the service's own threads: each may take seconds.
class AuditService final : public coopcraft::v1::AuditService::CallbackService {
 public:
  // `trail` (null: no access trail is kept) must outlive the service too.
  // `pseudonymizer` (null: replays show person ids as stored) likewise.
  AuditService(const auth::Guard* guard, storage::EventLog* log,
               const projections::ProjectionCatalog* catalog,
               const privacy::AccessTrail* trail,
               const privacy::Pseudonymizer* pseudonymizer)
      : guard_(guard),
        log_(log),
        catalog_(catalog),
        trail_(trail),
        pseudonymizer_(pseudonymizer) {}

  grpc::ServerUnaryReactor* VerifyChain(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::VerifyChainRequest* request,
      coopcraft::v1::VerifyChainResponse* response) override;
  grpc::ServerWriteReactor<coopcraft::v1::ExportLogResponse>* ExportLog(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ExportLogRequest* request) override;
  // NOT_FOUND for an unknown projection; OUT_OF_RANGE for an as-of
  // position beyond the head; INVALID_ARGUMENT for a malformed time or an
  // overlong key_prefix. Defined in audit_replay.cc.
  grpc::ServerWriteReactor<coopcraft::v1::ReplayProjectionResponse>*
  ReplayProjection(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ReplayProjectionRequest* request) override;
  // INVALID_ARGUMENT for a malformed person_id, page_size or page_token.
  grpc::ServerUnaryReactor* ListAccessRecords(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ListAccessRecordsRequest* request,
      coopcraft::v1::ListAccessRecordsResponse* response) override;

 private:
  const auth::Guard* const guard_;
  storage::EventLog* const log_;
  const projections::ProjectionCatalog* const catalog_;
  const privacy::AccessTrail* const trail_;
  const privacy::Pseudonymizer* const pseudonymizer_;
  WorkerPool pool_{2};
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_
