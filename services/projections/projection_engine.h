// ProjectionEngine: keeps a set of projections up to date with the log.
// On Start each projection resumes from its stored checkpoint (or rebuilds
// from zero when none is stored or its version changed); one thread then
// catches up and follows the tail, woken by the log's tail listener, and
// folds large batches on fold_threads threads at once.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_ENGINE_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/projections/projection.h"
#include "services/projections/projection_store.h"
#include "storage/event_log.h"

namespace coopcraft::projections {

struct ProjectionEngineOptions {
  // Events folded between two commits of each projection. Larger batches
  // rebuild faster; smaller ones make each commit (and its lag) smaller.
  size_t batch_size = 262144;
  // Threads folding a large batch (a catch-up or a rebuild): each event is
  // decoded once and the projections are shared out between the threads
  // (see parallel_fold.h).
  int fold_threads = 2;
  // A batch shorter than this folds on the engine thread alone: the few
  // events of a live tail are not worth starting a second thread for.
  size_t parallel_min_events = 4096;
  // Wait before retrying after a store or log error. A commit that keeps
  // failing waits twice as long before each new attempt, up to
  // max_retry_delay; the views keep folding the log meanwhile and the
  // changes wait in memory, at most one value per key.
  absl::Duration retry_delay = absl::Seconds(1);
  absl::Duration max_retry_delay = absl::Seconds(8);
  // A live tail's small batches are committed to the store together, at
  // most this often (and when the tail goes quiet for this long); a batch
  // of parallel_min_events or more is committed at once. Views and
  // WaitUntil see every folded event at once either way; what is not yet
  // committed is folded again from the log after a crash. Zero commits
  // every batch.
  absl::Duration commit_interval = absl::Milliseconds(250);
};

// How far one projection is behind the log.
struct ProjectionLag {
  std::string name;
  uint32_t version = 0;
  uint64_t checkpoint = 0;
  uint64_t head = 0;
  // head - checkpoint.
  uint64_t lag = 0;
};

// Thread safety: every public method may be called from any thread. The
// log, the store and the projections are not owned; they must outlive the
// engine. Stop (or destroy) the engine before the log.
class ProjectionEngine {
 public:
  // Loads each projection's stored state, then starts the thread.
  // INVALID_ARGUMENT for two projections with one name; errors of the store
  // otherwise (a state that does not parse is rebuilt, not an error).
  static absl::StatusOr<std::unique_ptr<ProjectionEngine>> Start(
      storage::EventLog* log, ProjectionStore* store,
      std::vector<Projection*> projections,
      const ProjectionEngineOptions& options = {});

  // Stops the thread (see Stop).
  ~ProjectionEngine();
  ProjectionEngine(const ProjectionEngine&) = delete;
  ProjectionEngine& operator=(const ProjectionEngine&) = delete;

  // Finishes the current batch, unregisters from the log and joins the
  // thread. Pending WaitUntil calls return UNAVAILABLE. Idempotent.
  void Stop();

  // Blocks until every projection has applied `position`. DEADLINE_EXCEEDED
  // when `deadline` passes first; UNAVAILABLE once stopped.
  absl::Status WaitUntil(uint64_t position, absl::Time deadline) const;

  // The lowest checkpoint of the projections: every view reflects at
  // least the log up to here. A rebuild may lower it at any moment: a
  // query that must see `position` reads through ReadAtLeast instead of
  // checking this first.
  uint64_t Position() const;

  // Runs `read` and returns its status if every projection has applied
  // `min_position`; nullopt, without running it, if not. No rebuild can
  // lower the position or clear a view while `read` runs, so what it reads
  // reflects at least the log up to `min_position` (folding goes on, and
  // only adds). `read` should be short, since a requested rebuild waits
  // for it, and must not call ReadAtLeast: behind a waiting rebuild the
  // inner call would wait for the outer one.
  std::optional<absl::Status> ReadAtLeast(
      uint64_t min_position, absl::FunctionRef<absl::Status()> read) const
      ABSL_LOCKS_EXCLUDED(views_mu_, mu_);

  // The head of the log the projections fold: the furthest position a
  // WaitUntil can ever reach without new appends.
  uint64_t LogHead() const;

  // Discards the named projection's state and folds the log again from
  // position 1, on the engine thread. Returns at once; NOT_FOUND for an
  // unknown name.
  absl::Status RequestRebuild(std::string_view name);

  // Checkpoint and lag of each projection, in registration order.
  std::vector<ProjectionLag> Lags() const;

  // What is failing: the last scan or reset of the thread when it failed
  // (it retries after retry_delay), otherwise the last commit when it
  // failed (reported until a commit succeeds). OK when neither is.
  absl::Status LastError() const;

 private:
  // Changes taken from a projection and not stored yet: the latest value
  // of each key, so that a commit failing for hours holds at most one
  // value per key changed since the last stored commit.
  class UnstoredWrites {
   public:
    void Add(std::vector<StateWrite> writes);
    const std::vector<StateWrite>& writes() const { return writes_; }
    // Also frees the memory, which after a catch-up can be large.
    void Clear();

   private:
    std::vector<StateWrite> writes_;
    // Key -> index of its latest write in writes_; built only when a
    // second Add arrives before a Clear (a commit failed or was deferred),
    // so the common fold-then-commit path hashes nothing.
    absl::flat_hash_map<std::string, size_t> index_;
  };

  struct Slot {
    Projection* projection;
    // Last position folded into the projection; written by the thread
    // under mu_. The view holds exactly the events up to here.
    uint64_t checkpoint = 0;
    // Last position committed to the store (<= checkpoint); the thread's
    // own.
    uint64_t committed = 0;
    // Changes of the events (committed, checkpoint] taken from the
    // projection but not stored yet (the rest are still in the
    // projection); the thread's own.
    UnstoredWrites unstored;
    bool rebuild_requested = false;
  };

  ProjectionEngine(storage::EventLog* log, ProjectionStore* store,
                   const ProjectionEngineOptions& options);
  // Loads `slot` from the store (at Start, before any query can see it,
  // so it clears and restores the view without views_mu_);
  // resets it when absent, stale or corrupt.
  absl::Status Load(Slot& slot);
  // Empties `slot` and its stored state, so it rebuilds from position 1.
  // Waits for the reads running under ReadAtLeast.
  absl::Status Reset(Slot& slot) ABSL_LOCKS_EXCLUDED(views_mu_, mu_);
  // Publishes the lowest checkpoint as Position(); caller holds mu_.
  void PublishPosition() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run();
  bool Stopping() const;
  // Handles rebuild requests; the error of a store reset that failed (it
  // is requested again).
  absl::Status TakeRebuilds();
  // Folds one batch; returns whether any event was scanned. After a failed
  // scan each projection keeps what it folded, with its checkpoint there.
  absl::StatusOr<bool> FoldBatch();
  // Commits every projection folded past its stored checkpoint, with its
  // unstored changes and those still in the projection. A failure keeps
  // them all for the next attempt, which waits for the backoff; it becomes
  // LastError until a commit succeeds.
  absl::Status CommitFolded();
  // Whether some projection holds folded events the store does not.
  bool HasUncommitted() const;
  // When the next commit may run: commit_interval after the last one, or
  // the end of the backoff after a failed one.
  absl::Time NextCommitTime() const;

  // Constant after construction.
  storage::EventLog* const log_;
  ProjectionStore* const store_;
  const ProjectionEngineOptions options_;

  // Held shared by ReadAtLeast's reads, exclusively by Reset while it
  // lowers a checkpoint and clears the view: Reset is the only change to
  // the views that takes anything back. Folding only adds to them and
  // never takes it, so a query does not stall the fold. Taken before mu_.
  mutable absl::Mutex views_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  // The projections; the vector is fixed after Start, checkpoints and
  // rebuild flags change under mu_.
  std::vector<Slot> slots_;
  uint64_t notified_head_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t min_checkpoint_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool rebuild_pending_ ABSL_GUARDED_BY(mu_) = false;
  // Of the last scan or rebuild reset; see LastError.
  absl::Status fold_error_ ABSL_GUARDED_BY(mu_);
  // Of the last commit.
  absl::Status commit_error_ ABSL_GUARDED_BY(mu_);

  storage::TailListenerHandle listener_;
  std::thread thread_;
  // When CommitFolded last ran, and the wait after the last failed commit
  // (zero after a successful one); the thread's own (and Stop's, after the
  // thread ended).
  absl::Time last_commit_ = absl::InfinitePast();
  absl::Duration commit_backoff_ = absl::ZeroDuration();
  absl::Mutex stop_mu_;
  bool joined_ ABSL_GUARDED_BY(stop_mu_) = false;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_ENGINE_H_
