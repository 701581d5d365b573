// AggregateRepository: runs commands against one kind of aggregate —
// load its stream, fold it with Evolve, ask the decider, append the events
// with the loaded revision as the expected revision.
#ifndef COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_
#define COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "coopcraft/v1/common.pb.h"
#include "services/app/command_context.h"
#include "services/app/event_envelope.h"
#include "services/app/request_ids.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/event_log.h"
#include "storage/log_rules.h"

namespace coopcraft::app {

// Runs a task somewhere; see AggregateRepository's constructor.
using ScheduleFn = std::function<void(absl::AnyInvocable<void()>)>;

// Whether the thread calling AggregateRepository::Execute may read the log.
enum class ReadsOn {
  // It may: the command reads, decides and appends there.
  kCallingThread,
  // It must not wait for the disk (gRPC's own threads): the command decides
  // there only when its stream's cached state is current and nothing else
  // needs reading; otherwise it goes to the repository's scheduler and
  // starts over there.
  kScheduledThread,
};

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

// Where an append to `stream` landed, as command RPCs report it.
coopcraft::v1::WriteResult WriteResultOf(std::string_view stream,
                                         const storage::AppendResult& appended);

// An earlier run of a command: its first event as stored, and where its
// events landed.
struct PriorRun {
  coopcraft::v1::EventRecord first;
  coopcraft::v1::WriteResult result;
};

// The earlier run of the command with `request_id` on `stream`, if it
// already ran; ALREADY_EXISTS when it ran on another stream.
absl::StatusOr<std::optional<PriorRun>> FindPriorRun(
    const storage::EventLog& log, std::string_view stream,
    std::string_view request_id);

// FindPriorRun's write result alone.
absl::StatusOr<std::optional<coopcraft::v1::WriteResult>> FindPriorResult(
    const storage::EventLog& log, std::string_view stream,
    std::string_view request_id);

// Thread-safe. `State` is a copyable fold result; `Envelope` a proto whose
// oneof `event` holds the aggregate's events. Keeps the folded state of up
// to `cache_capacity` recently used streams so a command on a long stream
// reads only the events appended since.
//
// Commands on one stream run one at a time, in the order they arrived: each
// holds its stream's cache entry from before it decides until its append is
// durable, and decides on the cached state in place. A command that finds
// its stream held is parked on the entry, holding no thread, and is handed
// to the scheduler when the command before it completes. Copying the state per
// command would cost time in proportion to the stream's history (every action
// id, milestone, ... of a project), and concurrent commands on one stream would
// only conflict anyway. The log's expected-revision check stays the guarantee;
// the entry only makes conflicts rare. That check is also why a command on a
// state left by this repository's own append decides without reading the
// log: a writer it did not see makes the append fail with ABORTED, and the
// command then reads what it missed (see Entry::current).
//
// A retried request_id is recognised by the log, which knows the event ids
// the request wrote (see EventIdForRequest): the retry's append writes
// nothing and is answered with the first run's result. Only a command about
// to be refused looks its request up first, since a retry may be refused on
// the state its own first run left.
template <typename State, typename Envelope>
class AggregateRepository {
 public:
  using EvolveFn = State (*)(State, const Envelope&);
  using DecideFn =
      absl::AnyInvocable<absl::StatusOr<std::vector<Envelope>>(const State&)>;
  using DoneFn =
      absl::AnyInvocable<void(absl::StatusOr<coopcraft::v1::WriteResult>) &&>;

  // `log`, `sealer` and what `schedule` schedules on must outlive the
  // repository. With a `sealer`, personal fields are sealed before every
  // append and unsealed when folded; null leaves them in clear (for tests of
  // the layers above). `schedule` runs a parked command once its stream is
  // free, and a command that must read the log but arrived on a thread that
  // must not (ReadsOn::kScheduledThread). It is called on the thread that
  // completed the command before, or on that caller's thread, so it must
  // hand the task to a thread that may read the log (the default, running
  // it in place, is for tests).
  AggregateRepository(storage::EventLog* log, EvolveFn evolve,
                      const privacy::EventSealer* sealer = nullptr,
                      ScheduleFn schedule = RunInPlace,
                      size_t cache_capacity = 4096)
      : log_(log),
        evolve_(evolve),
        sealer_(sealer),
        schedule_(std::move(schedule)),
        cache_capacity_(cache_capacity) {}

  // Drops every cached state, so that nothing read before an erasure stays
  // in memory; the next command on a stream folds it again.
  void ForgetCachedStates() {
    absl::MutexLock lock(&mutex_);
    cache_.clear();
  }

  // The state of `stream` as stored (default State when it has no events):
  // a command still waiting for its append is not waited for. Deciders call
  // this for the other aggregates they read, also on the thread that
  // completes appends, so it must never wait for a command. DATA_LOSS when a
  // stored event is corrupt; INTERNAL when the stream holds an event this
  // aggregate does not know.
  absl::StatusOr<Loaded<State>> Load(std::string_view stream) const {
    std::shared_ptr<Entry> entry = EntryFor(stream);
    Loaded<State> copy;
    {
      absl::MutexLock lock(&entry->mu);
      copy = entry->loaded;
    }
    RETURN_IF_ERROR(CatchUp(stream, copy));
    return copy;
  }

  // Runs one command and calls `done` with where its events landed, once
  // they are durable. Never waits for another command: behind an earlier
  // command on the same stream it is parked and returns at once. Otherwise
  // the calling thread decides, after reading the log when `reads` allows
  // it (see ReadsOn). `decide` runs on the calling thread, or on a scheduled
  // one when the command was parked or had to read, or, when the command
  // lost a race for its stream and is decided again, on the thread that
  // completes appends (see EventLog::AppendAsync), as does `done`: neither
  // may wait for another command, and with ReadsOn::kScheduledThread
  // `decide` must not read the log either (no Load of another aggregate). A
  // repeated request_id gets the first result and appends nothing. Errors: the
  // decider's (FAILED_PRECONDITION for broken rules), ABORTED when the client's
  // expected revision does not hold (or conflicts persisted), and the log's.
  void Execute(std::string stream, CommandContext context, DecideFn decide,
               DoneFn done, ReadsOn reads = ReadsOn::kCallingThread) {
    auto command = std::make_unique<Command>(Command{
        .entry = EntryFor(stream),
        .stream = std::move(stream),
        .context = std::move(context),
        .decide = std::move(decide),
        .done = std::move(done),
        .may_read = reads == ReadsOn::kCallingThread,
    });
    Entry& entry = *command->entry;
    {
      absl::MutexLock lock(&entry.mu);
      if (entry.busy) {
        entry.parked.push_back(std::move(command));
        return;
      }
      entry.busy = true;
    }
    Start(std::move(command));
  }

  // Runs `task` on the calling thread.
  static void RunInPlace(absl::AnyInvocable<void()> task) { task(); }

 private:
  struct Command;

  // One cached stream. A command holds it from before its decision until
  // its append completes, on another thread: hence a flag rather than a
  // mutex held across the append. The holder changes `loaded` under `mu`
  // and reads it freely; Load copies it under `mu`.
  struct Entry {
    absl::Mutex mu;
    bool busy ABSL_GUARDED_BY(mu) = false;
    // Set by the holder once `loaded` folds the stream up to the head it
    // read; its own appends, folded in, keep it so; cleared when an append
    // shows otherwise. A current state is decided on without reading the
    // log: being wrong about it costs a conflict, never a wrong write.
    bool current = false;
    // Commands that arrived while the stream was held, oldest first. The
    // holder hands the stream to the first when it completes.
    std::deque<std::unique_ptr<Command>> parked ABSL_GUARDED_BY(mu);
    Loaded<State> loaded;
  };

  // A command in flight; it holds `entry` until Complete.
  struct Command {
    std::shared_ptr<Entry> entry;
    std::string stream;
    CommandContext context;
    DecideFn decide;
    DoneFn done;
    // Whether the thread running the command may read the log.
    bool may_read = true;
    int attempt = 0;
  };

  // Runs a command that holds its stream.
  void Start(std::unique_ptr<Command> command) {
    if (absl::Now() >= command->context.deadline) {
      return Complete(std::move(command),
                      absl::DeadlineExceededError(
                          "the deadline passed before the command ran; "
                          "nothing was written"));
    }
    Attempt(std::move(command));
  }

  // Moves a command that needs to read the log off a thread that must not:
  // it starts over on a scheduled thread, still holding its stream (nothing
  // was written).
  void ReadElsewhere(std::unique_ptr<Command> command) {
    command->may_read = true;
    schedule_([this, command = std::move(command)]() mutable {
      Start(std::move(command));
    });
  }

  // Completes a command that would be refused with `refusal`, unless its
  // request already ran: then with that run's result (or ALREADY_EXISTS
  // when it ran on another stream).
  void Refuse(std::unique_ptr<Command> command, absl::Status refusal) {
    if (!command->may_read) return ReadElsewhere(std::move(command));
    auto prior =
        FindPriorResult(*log_, command->stream, command->context.request_id);
    if (!prior.ok()) return Complete(std::move(command), prior.status());
    if (prior->has_value()) return Complete(std::move(command), **prior);
    Complete(std::move(command), std::move(refusal));
  }

  // Catches up, decides and appends; the append's completion goes on in
  // Appended.
  void Attempt(std::unique_ptr<Command> command) {
    Entry& entry = *command->entry;
    Loaded<State>& loaded = entry.loaded;
    const CommandContext& context = command->context;
    const bool read_log = !entry.current;
    if (read_log) {
      if (!command->may_read) return ReadElsewhere(std::move(command));
      if (absl::Status caught_up = CatchUpEntry(*command); !caught_up.ok()) {
        return Complete(std::move(command), caught_up);
      }
    }
    if (context.expected.has_value()) {
      absl::Status holds = storage::CheckExpectedRevision(
          command->stream, *context.expected, loaded.revision);
      if (!holds.ok() && !read_log) {
        // The client may have seen a write this repository did not make.
        if (!command->may_read) return ReadElsewhere(std::move(command));
        if (absl::Status caught_up = CatchUpEntry(*command); !caught_up.ok()) {
          return Complete(std::move(command), caught_up);
        }
        holds = storage::CheckExpectedRevision(
            command->stream, *context.expected, loaded.revision);
      }
      if (!holds.ok()) return Refuse(std::move(command), std::move(holds));
    }
    absl::StatusOr<std::vector<Envelope>> events =
        command->decide(loaded.state);
    if (events.ok() && events->empty()) {
      events =
          absl::InternalError("the decider accepted but produced no event");
    }
    if (!events.ok()) return Refuse(std::move(command), events.status());
    if (!command->may_read && sealer_ != nullptr &&
        std::any_of(events->begin(), events->end(), [](const Envelope& event) {
          return SealsPersonalData(event);
        })) {
      return ReadElsewhere(std::move(command));  // a key may be created
    }
    absl::StatusOr<std::vector<storage::NewEvent>> batch =
        Pack(*events, loaded.state, context);
    if (!batch.ok()) return Complete(std::move(command), batch.status());

    const storage::ExpectedRevision expected =
        loaded.revision ? storage::ExpectedRevision::Exact(*loaded.revision)
                        : storage::ExpectedRevision::NoStream();
    // Copied before the call: the callback takes `command` with it, and
    // arguments are evaluated in no set order.
    std::string stream = command->stream;
    log_->AppendAsync(
        std::move(stream), expected, *std::move(batch),
        [this, command = std::move(command), events = *std::move(events)](
            absl::StatusOr<storage::AppendResult> appended) mutable {
          Appended(std::move(command), events, std::move(appended));
        });
  }

  // The stored form of the decided events.
  absl::StatusOr<std::vector<storage::NewEvent>> Pack(
      const std::vector<Envelope>& events, const State& state,
      const CommandContext& context) const {
    std::vector<storage::NewEvent> batch;
    batch.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      ASSIGN_OR_RETURN(
          TypedPayload typed,
          sealer_ == nullptr
              ? PackEnvelope(events[i])
              : PackEnvelopeSealed(events[i], *sealer_, DataSubjectOf(state)));
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
    return batch;
  }

  // Runs where the log completes appends: folds the stored events, or
  // finds the first run's result, or decides a conflicted command again.
  void Appended(std::unique_ptr<Command> command,
                const std::vector<Envelope>& events,
                absl::StatusOr<storage::AppendResult> appended) {
    Entry& entry = *command->entry;
    if (appended.ok() && !appended->deduplicated) {
      {
        absl::MutexLock lock(&entry.mu);
        for (const Envelope& event : events) {
          entry.loaded.state = evolve_(std::move(entry.loaded.state), event);
        }
        entry.loaded.revision = appended->next_revision - 1;
      }
      return Complete(std::move(command),
                      WriteResultOf(command->stream, *appended));
    }
    // Nothing of ours was written: the stream may hold events the state
    // lacks.
    entry.current = false;
    if (appended.ok() || absl::IsAlreadyExists(appended.status())) {
      // A retry of a request that already ran (the log wrote nothing), or
      // one that decided other events than its first run: the first run's
      // result is ours. The log's answer to a retry covers only the ids
      // this run decided; the lookup finds every event of the first run.
      auto prior =
          FindPriorResult(*log_, command->stream, command->context.request_id);
      if (!prior.ok()) return Complete(std::move(command), prior.status());
      if (prior->has_value()) return Complete(std::move(command), **prior);
      if (!appended.ok()) {
        return Complete(std::move(command), appended.status());
      }
      return Complete(std::move(command),
                      WriteResultOf(command->stream, *appended));
    }
    if (!absl::IsAborted(appended.status()) ||
        command->context.expected.has_value()) {
      return Complete(std::move(command), appended.status());
    }
    if (++command->attempt > kMaxConflictRetries) {
      absl::Status gave_up = absl::AbortedError(
          absl::StrCat("REVISION_CONFLICT: ", command->stream,
                       " kept changing; gave up after ",
                       kMaxConflictRetries + 1, " attempts"));
      // The last conflict's payloads (the stream's current revision among
      // them) go with it, so the client gets current_revision as for any
      // revision conflict and may retry with it as expected_revision.
      appended.status().ForEachPayload(
          [&gave_up](absl::string_view url, const absl::Cord& payload) {
            gave_up.SetPayload(url, payload);
          });
      return Complete(std::move(command), std::move(gave_up));
    }
    // Lost a race with another writer (rare: the stream's entry holds off
    // this repository's own commands unless it was evicted) and the client
    // allowed any revision: catch up and decide again on the newer state,
    // here, since nothing on the way waits for another command (the reads
    // are rare enough not to hold up the commits).
    command->may_read = true;
    Attempt(std::move(command));
  }

  // Hands the stream to the next parked command (or frees it), then
  // reports.
  void Complete(std::unique_ptr<Command> command,
                absl::StatusOr<coopcraft::v1::WriteResult> result) {
    std::unique_ptr<Command> next;
    {
      Entry& entry = *command->entry;
      absl::MutexLock lock(&entry.mu);
      if (entry.parked.empty()) {
        entry.busy = false;
      } else {
        next = std::move(entry.parked.front());
        entry.parked.pop_front();
      }
    }
    if (next != nullptr) {
      next->may_read = true;  // the scheduler's threads may read
      schedule_(
          [this, next = std::move(next)]() mutable { Start(std::move(next)); });
    }
    std::move(command->done)(std::move(result));
  }

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

  // Brings the state of the command's entry, which it holds, up to the
  // log's head for its stream.
  absl::Status CatchUpEntry(const Command& command) {
    Entry& entry = *command.entry;
    absl::Status caught_up;
    {
      absl::MutexLock lock(&entry.mu);
      caught_up = CatchUp(command.stream, entry.loaded);
    }
    entry.current = caught_up.ok();
    return caught_up;
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
  const ScheduleFn schedule_;
  const size_t cache_capacity_;
  mutable absl::Mutex mutex_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<Entry>> cache_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_AGGREGATE_REPOSITORY_H_
