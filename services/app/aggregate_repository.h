// AggregateRepository: runs commands against one kind of aggregate —
// load its stream, fold it with Evolve, ask the decider, append the events
// with the loaded revision as the expected revision.
#ifndef COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_
#define COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/common.pb.h"
#include "services/app/command_context.h"
#include "services/app/event_envelope.h"
#include "services/app/request_ids.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/event_log.h"
#include "storage/log_rules.h"

namespace coopcraft::app {

// How many times a command without an expected revision is re-decided after
// losing a race for its stream before ABORTED is returned.
inline constexpr int kMaxConflictRetries = 8;

// A folded stream.
template <typename State>
struct Loaded {
  State state;
  // Revision of the stream's last event; nullopt when it has none.
  std::optional<uint64_t> revision;
};

// The write result of the command whose first event has id `first_id`, if
// that command already ran; ALREADY_EXISTS when it ran on another stream.
absl::StatusOr<std::optional<coopcraft::v1::WriteResult>> FindPriorResult(
    const storage::EventLog& log, std::string_view stream,
    std::string_view request_id);

// Thread-safe. `State` is a copyable fold result; `Envelope` a proto whose
// oneof `event` holds the aggregate's events. Keeps the folded state of up
// to `cache_capacity` recently used streams so a command on a long stream
// reads only the events appended since.
//
// Commands on one stream run one at a time: each holds its stream's cache
// entry while it decides and appends, and decides on the cached state in
// place. Copying the state per command would cost time in proportion to the
// stream's history (every action id, milestone, ... of a project), and
// concurrent commands on one stream would only conflict anyway. The log's
// expected-revision check stays the guarantee; the entry lock only makes
// conflicts rare.
template <typename State, typename Envelope>
class AggregateRepository {
 public:
  using EvolveFn = State (*)(State, const Envelope&);
  using DecideFn =
      absl::FunctionRef<absl::StatusOr<std::vector<Envelope>>(const State&)>;

  // `log` and `sealer` must outlive the repository. With a `sealer`,
  // personal fields are sealed before every append and unsealed when
  // folded; null leaves them in clear (for tests of the layers above).
  AggregateRepository(storage::EventLog* log, EvolveFn evolve,
                      const privacy::EventSealer* sealer = nullptr,
                      size_t cache_capacity = 4096)
      : log_(log),
        evolve_(evolve),
        sealer_(sealer),
        cache_capacity_(cache_capacity) {}

  // Drops every cached state, so that nothing read before an erasure stays
  // in memory; the next command on a stream folds it again.
  void ForgetCachedStates() {
    absl::MutexLock lock(&mutex_);
    cache_.clear();
  }

  // The current state of `stream` (default State when it has no events).
  // DATA_LOSS when a stored event is corrupt; INTERNAL when the stream holds
  // an event this aggregate does not know. Waits while a command on the
  // stream is running.
  absl::StatusOr<Loaded<State>> Load(std::string_view stream) const {
    std::shared_ptr<Entry> entry = EntryFor(stream);
    absl::MutexLock lock(&entry->mutex);
    RETURN_IF_ERROR(CatchUp(stream, entry->loaded));
    return entry->loaded;
  }

  // Runs one command: returns where its events landed. A repeated
  // request_id returns the first result and appends nothing. Errors: the
  // decider's (FAILED_PRECONDITION for broken rules), ABORTED when the
  // client's expected revision does not hold (or conflicts persisted), and
  // the log's.
  absl::StatusOr<coopcraft::v1::WriteResult> Execute(
      std::string_view stream, const CommandContext& context, DecideFn decide) {
    std::shared_ptr<Entry> entry = EntryFor(stream);
    absl::MutexLock lock(&entry->mutex);
    // Under the stream's lock, so a retry racing its first run on this
    // stream finds that run's result instead of deciding again.
    ASSIGN_OR_RETURN(auto prior,
                     FindPriorResult(*log_, stream, context.request_id));
    if (prior.has_value()) return *prior;

    Loaded<State>& loaded = entry->loaded;
    for (int attempt = 0; attempt <= kMaxConflictRetries; ++attempt) {
      RETURN_IF_ERROR(CatchUp(stream, loaded));
      if (context.expected.has_value()) {
        RETURN_IF_ERROR(storage::CheckExpectedRevision(
            stream, *context.expected, loaded.revision));
      }
      ASSIGN_OR_RETURN(std::vector<Envelope> events, decide(loaded.state));
      if (events.empty()) {
        return absl::InternalError(
            "the decider accepted but produced no event");
      }
      std::vector<storage::NewEvent> batch;
      batch.reserve(events.size());
      for (size_t i = 0; i < events.size(); ++i) {
        ASSIGN_OR_RETURN(TypedPayload typed,
                         sealer_ == nullptr
                             ? PackEnvelope(events[i])
                             : PackEnvelopeSealed(events[i], *sealer_,
                                                  DataSubjectOf(loaded.state)));
        storage::NewEvent& event = batch.emplace_back();
        event.event_id = EventIdForRequest(context.request_id, i);
        event.type = std::move(typed.type);
        event.payload = std::move(typed.payload);
        event.metadata.set_actor(context.actor);
        event.metadata.set_correlation_id(context.correlation_id.empty()
                                              ? context.request_id
                                              : context.correlation_id);
        event.metadata.set_causation_id(context.request_id);
      }
      const storage::ExpectedRevision expected =
          loaded.revision ? storage::ExpectedRevision::Exact(*loaded.revision)
                          : storage::ExpectedRevision::NoStream();
      auto appended = log_->Append(stream, expected, std::move(batch));
      if (appended.ok()) {
        for (const Envelope& event : events) {
          loaded.state = evolve_(std::move(loaded.state), event);
        }
        loaded.revision = appended->next_revision - 1;
        coopcraft::v1::WriteResult result;
        result.set_stream(std::string(stream));
        result.set_stream_revision(appended->next_revision - 1);
        result.set_position(appended->last_position);
        result.set_first_position(appended->first_position);
        return result;
      }
      if (absl::IsAlreadyExists(appended.status())) {
        // The same request raced with itself (through an evicted entry);
        // the winner's result is ours.
        ASSIGN_OR_RETURN(auto raced,
                         FindPriorResult(*log_, stream, context.request_id));
        if (raced.has_value()) return *raced;
        return appended.status();
      }
      if (!absl::IsAborted(appended.status()) || context.expected.has_value()) {
        return appended.status();
      }
      // Lost a race with another writer and the client allowed any
      // revision: catch up and decide again on the newer state.
    }
    return absl::AbortedError(
        absl::StrCat("REVISION_CONFLICT: ", std::string(stream),
                     " kept changing; gave up after ", kMaxConflictRetries + 1,
                     " attempts"));
  }

 private:
  // One cached stream. Its lock is held while the state is read, folded or
  // decided on.
  struct Entry {
    absl::Mutex mutex;
    Loaded<State> loaded ABSL_GUARDED_BY(mutex);
  };

  // The entry of `stream`, created (empty) when missing. An entry evicted
  // while in use lives on with its users; a new one then folds the stream
  // from the start.
  std::shared_ptr<Entry> EntryFor(std::string_view stream) const {
    absl::MutexLock lock(&mutex_);
    if (auto it = cache_.find(ToAbsl(stream)); it != cache_.end()) {
      return it->second;
    }
    if (cache_.size() >= cache_capacity_) {
      // Any victim will do: a miss only costs one fold of that stream.
      cache_.erase(cache_.begin());
    }
    auto entry = std::make_shared<Entry>();
    cache_.emplace(std::string(stream), entry);
    return entry;
  }

  // Folds the events of `stream` after loaded.revision into `loaded`.
  absl::Status CatchUp(std::string_view stream, Loaded<State>& loaded) const {
    uint64_t from = loaded.revision ? *loaded.revision + 1 : 0;
    while (true) {
      ASSIGN_OR_RETURN(
          auto records,
          log_->ReadStream(stream, from, storage::Direction::kForwards, 512));
      for (const auto& record : records) {
        Envelope event;
        if (absl::Status s = UnpackEnvelope(record, &event); !s.ok()) {
          if (absl::IsNotFound(s)) return absl::InternalError(s.message());
          return s;
        }
        if (sealer_ != nullptr)
          RETURN_IF_ERROR(UnsealEnvelope(&event, *sealer_));
        loaded.state = evolve_(std::move(loaded.state), event);
        loaded.revision = record.revision();
      }
      if (records.size() < 512) return absl::OkStatus();
      from = records.back().revision() + 1;
    }
  }

  // The person an aggregate is about, for sealing its personal fields.
  static std::string DataSubjectOf(const State& state) {
    if constexpr (requires { state.person_id; }) {
      return state.person_id;
    } else {
      return "";
    }
  }

  storage::EventLog* const log_;
  const EvolveFn evolve_;
  const privacy::EventSealer* const sealer_;
  const size_t cache_capacity_;
  mutable absl::Mutex mutex_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<Entry>> cache_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_
