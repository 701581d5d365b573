// AuditService: VerifyChain and ExportLog over the event log (tamper
// evidence for auditors; export files are verified offline, see
// storage/export_verifier.h).
#ifndef COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_
#define COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_

#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// Thread-safe. `log` must outlive the service; destroy the service only
// after the gRPC server has shut down. Verification and export reads run on
// the service's own threads: a whole-log verification takes seconds.
class AuditService final : public coopcraft::v1::AuditService::CallbackService {
 public:
  explicit AuditService(storage::EventLog* log) : log_(log) {}

  grpc::ServerUnaryReactor* VerifyChain(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::VerifyChainRequest* request,
      coopcraft::v1::VerifyChainResponse* response) override;
  grpc::ServerWriteReactor<coopcraft::v1::ExportLogResponse>* ExportLog(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ExportLogRequest* request) override;

 private:
  storage::EventLog* const log_;
  WorkerPool pool_{2};
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_AUDIT_SERVICE_H_
