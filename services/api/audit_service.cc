// AuditService: VerifyChain delegates to the log; ExportLog pages through
// ReadAll on the service's pool, one write in flight.
#include "services/api/audit_service.h"

#include <algorithm>

#include "absl/synchronization/mutex.h"
#include "services/api/status_mapping.h"
#include "services/api/stream_refusal.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

using ::coopcraft::v1::ExportLogResponse;

constexpr size_t kExportBatch = 256;

void CheckRange(uint64_t from, uint64_t to, FieldErrors* errors) {
  if (to != 0 && from > to) {
    errors->Add("to_position", "must not be below from_position");
  }
}

// Streams [next, to] in batches. Each batch is read on the pool and written
// from there; OnWriteDone schedules the next read, so gRPC threads never
// read and at most one write is in flight.
class Export final : public grpc::ServerWriteReactor<ExportLogResponse> {
 public:
  Export(storage::EventLog* log, WorkerPool* pool, uint64_t from, uint64_t to)
      : log_(log), pool_(pool), next_(from), to_(to) {
    pool_->Schedule([this] { Step(); });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    pool_->Schedule([this] { Step(); });
  }
  void OnCancel() override {
    absl::MutexLock lock(&mutex_);
    cancelled_ = true;
  }
  void OnDone() override { delete this; }

 private:
  void Step() {
    {
      absl::MutexLock lock(&mutex_);
      if (cancelled_) {
        Finish(grpc::Status::CANCELLED);
        return;
      }
    }
    if (next_ > to_) {
      Finish(grpc::Status::OK);
      return;
    }
    storage::ReadAllOptions options;
    options.from_position = next_;
    options.max_count = std::min<uint64_t>(kExportBatch, to_ - next_ + 1);
    options.max_scan = options.max_count;
    auto result = log_->ReadAll(options);
    if (!result.ok()) {
      // A record that fails its CRC cannot be exported faithfully;
      // DATA_LOSS names its position.
      Finish(ToGrpcStatus(result.status()));
      return;
    }
    if (result->events.empty()) {
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    for (auto& record : result->events) {
      *response_.add_records() = std::move(record);
    }
    next_ = result->next_position;
    StartWrite(&response_);
  }

  storage::EventLog* const log_;
  WorkerPool* const pool_;
  uint64_t next_;
  const uint64_t to_;
  ExportLogResponse response_;
  absl::Mutex mutex_;
  bool cancelled_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace

grpc::ServerUnaryReactor* AuditService::VerifyChain(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::VerifyChainRequest* request,
    coopcraft::v1::VerifyChainResponse* response) {
  auto* reactor = context->DefaultReactor();
  FieldErrors errors;
  CheckRange(request->from_position(), request->to_position(), &errors);
  if (!errors.empty()) {
    reactor->Finish(ToGrpcStatus(errors.ToStatus()));
    return reactor;
  }
  const uint64_t from = std::max<uint64_t>(1, request->from_position());
  const uint64_t to =
      request->to_position() == 0 ? UINT64_MAX : request->to_position();
  pool_.Schedule([this, reactor, response, from, to] {
    auto verification = log_->VerifyChain(from, to);
    if (!verification.ok()) {
      reactor->Finish(ToGrpcStatus(verification.status()));
      return;
    }
    response->set_ok(!verification->first_bad_position.has_value());
    response->set_verified_count(verification->verified_count);
    if (verification->first_bad_position) {
      response->set_first_bad_position(*verification->first_bad_position);
      response->set_problem(verification->problem);
    }
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerWriteReactor<ExportLogResponse>* AuditService::ExportLog(
    grpc::CallbackServerContext* /*context*/,
    const coopcraft::v1::ExportLogRequest* request) {
  FieldErrors errors;
  CheckRange(request->from_position(), request->to_position(), &errors);
  const uint64_t head = log_->HeadPosition();
  const uint64_t from = std::max<uint64_t>(1, request->from_position());
  uint64_t to = request->to_position() == 0 ? head : request->to_position();
  to = std::min(to, head);
  if (!errors.empty()) {
    return new StreamRefusal<ExportLogResponse>(
        ToGrpcStatus(errors.ToStatus()));
  }
  return new Export(log_, &pool_, from, to);
}

}  // namespace coopcraft::api
