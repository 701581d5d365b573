// AuditService.ReplayProjection: validates the request on the gRPC thread,
// folds a private projection instance on the service's pool, then streams
// the header and the state in batches, one write in flight.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/time_util.h"
#include "services/api/audit_service.h"
#include "services/api/method_names.h"
#include "services/api/status_mapping.h"
#include "services/api/stream_refusal.h"
#include "services/api/validation/field_errors.h"
#include "services/projections/replay.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

// Entries per message; a ProjectView is a few hundred bytes, so a batch
// stays far below gRPC's default 4 MiB message limit.
constexpr size_t kEntriesPerMessage = 256;
constexpr char kTypeUrlPrefix[] = "type.googleapis.com/";

class Replay final
    : public grpc::ServerWriteReactor<v1::ReplayProjectionResponse> {
 public:
  // With a `pseudonymizer`, every person id in the states becomes its
  // pseudonym (for auditors).
  Replay(const storage::EventLog* log, WorkerPool* pool,
         std::unique_ptr<projections::Projection> projection,
         projections::ReplayBound bound, std::string key_prefix,
         const privacy::Pseudonymizer* pseudonymizer)
      : log_(log),
        projection_(std::move(projection)),
        bound_(bound),
        key_prefix_(std::move(key_prefix)),
        pseudonymizer_(pseudonymizer) {
    pool->Schedule([this] { Fold(); });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    WriteNext();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mutex_);
    cancelled_ = true;
  }
  void OnDone() override { delete this; }

 private:
  void Fold() {
    absl::StatusOr<projections::ReplayedState> replayed =
        projections::Replay(*log_, *projection_, bound_, key_prefix_, [this] {
          absl::MutexLock lock(&mutex_);
          return cancelled_;
        });
    if (!replayed.ok()) {
      Finish(ToGrpcStatus(replayed.status()));
      return;
    }
    state_ = *std::move(replayed);
    v1::ReplayHeader* header = response_.mutable_header();
    header->set_projection(std::string(projection_->name()));
    header->set_version(projection_->version());
    header->set_position(state_.position);
    header->set_entry_count(state_.entries.size());
    StartWrite(&response_);
  }

  // Writes the next batch of entries, or finishes after the last.
  void WriteNext() {
    {
      absl::MutexLock lock(&mutex_);
      if (cancelled_) {
        Finish(grpc::Status::CANCELLED);
        return;
      }
    }
    if (next_entry_ >= state_.entries.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    response_.Clear();
    const size_t end =
        std::min(state_.entries.size(), next_entry_ + kEntriesPerMessage);
    for (; next_entry_ < end; ++next_entry_) {
      projections::StateWrite& entry = state_.entries[next_entry_];
      v1::ReplayedEntry* out = response_.add_entries();
      out->set_key(entry.key);
      const std::string type(projection_->StateType(entry.key));
      out->mutable_state()->set_type_url(absl::StrCat(kTypeUrlPrefix, type));
      if (pseudonymizer_ != nullptr) Pseudonymize(type, &*entry.value);
      out->mutable_state()->set_value(std::move(*entry.value));
    }
    StartWrite(&response_);
  }

  const storage::EventLog* const log_;
  const std::unique_ptr<projections::Projection> projection_;
  const projections::ReplayBound bound_;
  // Rewrites one serialized state of `type` with pseudonyms; a state that
  // does not parse is dropped rather than served with ids in it.
  void Pseudonymize(const std::string& type, std::string* value) const {
    const google::protobuf::Descriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindMessageTypeByName(type);
    if (descriptor == nullptr ||
        !privacy::Pseudonymizer::MentionsPeople(*descriptor)) {
      return;
    }
    std::unique_ptr<google::protobuf::Message> state(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(descriptor)
            ->New());
    if (!state->ParseFromString(*value)) {
      value->clear();
      return;
    }
    if (pseudonymizer_->Apply(*state)) state->SerializeToString(value);
  }

  const std::string key_prefix_;
  const privacy::Pseudonymizer* const pseudonymizer_;
  // Filled once by Fold; then read by one write step at a time.
  projections::ReplayedState state_;
  size_t next_entry_ = 0;
  // Alive until OnWriteDone, as gRPC requires.
  v1::ReplayProjectionResponse response_;
  absl::Mutex mutex_;
  bool cancelled_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace

grpc::ServerWriteReactor<v1::ReplayProjectionResponse>*
AuditService::ReplayProjection(grpc::CallbackServerContext* context,
                               const v1::ReplayProjectionRequest* request) {
  using Refusal = StreamRefusal<v1::ReplayProjectionResponse>;
  auto caller =
      guard_->Admit(*context, COOPCRAFT_METHOD(AuditService, ReplayProjection));
  if (!caller.ok()) return new Refusal(ToGrpcStatus(caller.status()));
  FieldErrors errors;
  if (request->projection().empty()) {
    errors.Add("projection", "required", "REQUIRED");
  }
  // State keys are ids and other short text: the same rules as any short
  // text field, so an oversize prefix is TOO_LONG like the others.
  errors.OptionalText("key_prefix", request->key_prefix(), kMaxShortText);
  projections::ReplayBound bound;
  const uint64_t head = log_->HeadPosition();
  if (request->has_as_of_time()) {
    const google::protobuf::Timestamp& time = request->as_of_time();
    if (time.nanos() < 0 || time.nanos() > 999'999'999 || time.seconds() < 0) {
      errors.Add("as_of_time", "not a valid instant after 1970");
    } else if (time.seconds() >
               google::protobuf::util::TimeUtil::kTimestampMaxSeconds) {
      // Beyond the last instant a Timestamp may hold: no clock wrote it, and
      // reading it as "the head" would hide the client's bug.
      errors.Add("as_of_time", "is after 9999-12-31T23:59:59Z", "OUT_OF_RANGE");
    } else {
      bound.max_recorded_at = absl::FromUnixSeconds(time.seconds()) +
                              absl::Nanoseconds(time.nanos());
    }
  }
  if (!errors.empty()) return new Refusal(ToGrpcStatus(errors.ToStatus()));
  if (request->as_of_case() == v1::ReplayProjectionRequest::kAsOfPosition) {
    if (request->as_of_position() > head) {
      return new Refusal(ToGrpcStatus(absl::OutOfRangeError(
          absl::StrCat("as_of_position: ", request->as_of_position(),
                       " is beyond the head ", head))));
    }
    bound.max_position = request->as_of_position();
  } else {
    // No bound, or a time bound: never beyond the head at the call's start,
    // so the answer is one fixed prefix even while appends go on.
    bound.max_position = head;
  }
  absl::StatusOr<std::unique_ptr<projections::Projection>> projection =
      catalog_->Create(request->projection());
  if (!projection.ok()) {
    return new Refusal(ToGrpcStatus(absl::NotFoundError(
        absl::StrCat("projection: ", projection.status().message()))));
  }
  return new Replay(
      log_, &pool_, *std::move(projection), bound, request->key_prefix(),
      auth::MaySeePersonalData(caller->role) ? nullptr : pseudonymizer_);
}

}  // namespace coopcraft::api
