// AuditService: VerifyChain delegates to the log; ExportLog pages through
// ReadAll on the service's pool, one write in flight.
#include "services/api/audit_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/api/method_names.h"
#include "services/api/query_call.h"
#include "services/api/recorded_event.h"
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
    bool cancelled;
    {
      absl::MutexLock lock(&mutex_);
      cancelled = cancelled_;
    }
    // Finish outside the lock: OnDone may delete this reactor, mutex
    // included, on another thread as soon as Finish is called.
    if (cancelled) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    if (next_ > to_) {
      Finish(grpc::Status::OK);
      return;
    }
    storage::ReadAllOptions options;
    options.from_position = next_;
    options.max_count = std::min<uint64_t>(kExportBatch, to_ - next_ + 1);
    options.max_scan = options.max_count;
    options.max_bytes = kMaxEventBytesPerMessage;
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
  if (auto caller =
          guard_->Admit(*context, COOPCRAFT_METHOD(AuditService, VerifyChain));
      !caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  FieldErrors errors;
  CheckRange(request->from_position(), request->to_position(), &errors);
  if (!errors.empty()) {
    reactor->Finish(ToGrpcStatus(errors.ToStatus()));
    return reactor;
  }
  const uint64_t from = std::max<uint64_t>(1, request->from_position());
  const uint64_t to =
      request->to_position() == 0 ? UINT64_MAX : request->to_position();
  // The context lives until Finish, so the pool may ask it; an auditor who
  // gave up frees the pool's thread within a few thousand records.
  pool_.Schedule([this, context, reactor, response, from, to] {
    auto verification = log_->VerifyChain(
        from, to, [context] { return context->IsCancelled(); });
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
    // A count alone cannot tell a cut or re-hashed export from the log: the
    // auditor compares the head's hash with the export's last record. Both
    // are 0 and empty, as the response promises, when nothing was good.
    response->set_head_position(verification->head_position);
    response->set_head_hash(std::move(verification->head_hash));
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerWriteReactor<ExportLogResponse>* AuditService::ExportLog(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::ExportLogRequest* request) {
  if (auto caller =
          guard_->Admit(*context, COOPCRAFT_METHOD(AuditService, ExportLog));
      !caller.ok()) {
    return new StreamRefusal<ExportLogResponse>(ToGrpcStatus(caller.status()));
  }
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

grpc::ServerUnaryReactor* AuditService::ListAccessRecords(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::ListAccessRecordsRequest* request,
    coopcraft::v1::ListAccessRecordsResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = guard_->Admit(
      *context, COOPCRAFT_METHOD(AuditService, ListAccessRecords));
  FieldErrors errors;
  if (!request->person_id().empty()) {
    errors.RequireId("person_id", request->person_id());
  }
  int page_size = 0;
  const std::string after = ReadPageRequest(
      request->page_size(), request->page_token(), &page_size, &errors);
  uint64_t after_sequence = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_sequence)) {
    errors.Add("page_token", "not a token of this list");
  }
  const absl::Status refusal =
      caller.ok() ? errors.ToStatus() : caller.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  if (trail_ == nullptr) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 "this server keeps no access trail"));
    return reactor;
  }
  // Auditors see who read whom as pseudonyms, like everything else.
  const privacy::Pseudonymizer* pseudonyms =
      auth::MaySeePersonalData(caller->role) ? nullptr : pseudonymizer_;
  pool_.Schedule([this, reactor, request, response, page_size, after_sequence,
                  pseudonyms] {
    // One more than a page tells whether another follows.
    auto records = trail_->List(request->person_id(), after_sequence,
                                static_cast<size_t>(page_size) + 1);
    if (!records.ok()) {
      reactor->Finish(ToGrpcStatus(records.status()));
      return;
    }
    const bool more = records->size() > static_cast<size_t>(page_size);
    if (more) records->pop_back();
    for (auto& record : *records) {
      if (pseudonyms != nullptr) pseudonyms->Apply(record);
      *response->add_records() = std::move(record);
    }
    if (more) {
      response->set_next_page_token(EncodePageToken(
          absl::StrCat(response->records().rbegin()->sequence())));
    }
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace coopcraft::api
