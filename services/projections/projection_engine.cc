// ProjectionEngine: one thread folds the log into every projection, batch
// by batch, and commits the projections' changes with their checkpoints in
// one store write per catch-up batch or per commit interval on a live tail.
#include "services/projections/projection_engine.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/projections/parallel_fold.h"

namespace coopcraft::projections {

ProjectionEngine::ProjectionEngine(storage::EventLog* log,
                                   ProjectionStore* store,
                                   const ProjectionEngineOptions& options)
    : log_(log), store_(store), options_(options) {}

absl::StatusOr<std::unique_ptr<ProjectionEngine>> ProjectionEngine::Start(
    storage::EventLog* log, ProjectionStore* store,
    std::vector<Projection*> projections,
    const ProjectionEngineOptions& options) {
  absl::flat_hash_set<std::string_view> names;
  for (Projection* projection : projections) {
    if (!names.insert(projection->name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "two projections named ", std::string(projection->name())));
    }
  }
  auto engine = std::unique_ptr<ProjectionEngine>(
      new ProjectionEngine(log, store, options));
  for (Projection* projection : projections) {
    engine->slots_.push_back(Slot{.projection = projection});
    if (absl::Status status = engine->Load(engine->slots_.back());
        !status.ok()) {
      return status;
    }
  }
  uint64_t min_checkpoint = UINT64_MAX;
  for (const Slot& slot : engine->slots_) {
    min_checkpoint = std::min(min_checkpoint, slot.checkpoint);
  }
  ProjectionEngine* raw = engine.get();
  // Registered before the head is read, so no commit can slip between.
  engine->listener_ = log->AddTailListener([raw](uint64_t head) {
    absl::MutexLock lock(&raw->mu_);
    raw->notified_head_ = std::max(raw->notified_head_, head);
  });
  {
    absl::MutexLock lock(&engine->mu_);
    engine->min_checkpoint_ =
        engine->slots_.empty() ? UINT64_MAX : min_checkpoint;
    engine->notified_head_ =
        std::max(engine->notified_head_, log->HeadPosition());
  }
  engine->thread_ = std::thread([raw] { raw->Run(); });
  return engine;
}

ProjectionEngine::~ProjectionEngine() { Stop(); }

void ProjectionEngine::Stop() {
  absl::MutexLock stop_lock(&stop_mu_);
  if (joined_) return;
  joined_ = true;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  listener_.Reset();
  // The thread has ended: store what the views hold, so the next start
  // resumes from here instead of folding the last interval again.
  CommitPending();
}

absl::Status ProjectionEngine::Load(Slot& slot) {
  Projection& projection = *slot.projection;
  projection.Clear();
  absl::StatusOr<std::optional<Checkpoint>> stored =
      store_->Load(projection.name(),
                   [&projection](std::string_view key, std::string_view value) {
                     return projection.Restore(key, value);
                   });
  if (stored.ok() && stored->has_value() &&
      (*stored)->version == projection.version()) {
    absl::MutexLock lock(&mu_);
    slot.checkpoint = (*stored)->position;
    slot.committed = slot.checkpoint;
    return absl::OkStatus();
  }
  // Absent, folded by another version, or unreadable: start over.
  if (!stored.ok() && !absl::IsDataLoss(stored.status())) {
    return stored.status();
  }
  return Reset(slot);
}

absl::Status ProjectionEngine::Reset(Slot& slot) {
  slot.projection->Clear();
  {
    absl::MutexLock lock(&mu_);
    slot.checkpoint = 0;
  }
  slot.committed = 0;
  return store_->Reset(slot.projection->name());
}

absl::Status ProjectionEngine::WaitUntil(uint64_t position,
                                         absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, position]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || min_checkpoint_ >= position;
  };
  mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  if (min_checkpoint_ >= position) return absl::OkStatus();
  if (stopping_) return absl::UnavailableError("projections are stopping");
  return absl::DeadlineExceededError(
      absl::StrCat("projections reached position ", min_checkpoint_, ", not ",
                   position, ", before the deadline"));
}

uint64_t ProjectionEngine::Position() const {
  absl::MutexLock lock(&mu_);
  return min_checkpoint_;
}

uint64_t ProjectionEngine::LogHead() const { return log_->HeadPosition(); }

absl::Status ProjectionEngine::RequestRebuild(std::string_view name) {
  absl::MutexLock lock(&mu_);
  for (Slot& slot : slots_) {
    if (slot.projection->name() == name) {
      slot.rebuild_requested = true;
      rebuild_pending_ = true;
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(
      absl::StrCat("no projection named ", std::string(name)));
}

std::vector<ProjectionLag> ProjectionEngine::Lags() const {
  const uint64_t head = log_->HeadPosition();
  absl::MutexLock lock(&mu_);
  std::vector<ProjectionLag> lags;
  for (const Slot& slot : slots_) {
    lags.push_back(ProjectionLag{
        .name = std::string(slot.projection->name()),
        .version = slot.projection->version(),
        .checkpoint = slot.checkpoint,
        .head = head,
        .lag = head > slot.checkpoint ? head - slot.checkpoint : 0});
  }
  return lags;
}

absl::Status ProjectionEngine::LastError() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

bool ProjectionEngine::TakeRebuilds() {
  std::vector<Slot*> to_rebuild;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return false;
    if (!rebuild_pending_) return true;
    rebuild_pending_ = false;
    for (Slot& slot : slots_) {
      if (slot.rebuild_requested) to_rebuild.push_back(&slot);
      slot.rebuild_requested = false;
    }
  }
  for (Slot* slot : to_rebuild) {
    absl::Status status = Reset(*slot);
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      // Retried with the next batch.
      slot->rebuild_requested = true;
      rebuild_pending_ = true;
      last_error_ = status;
    }
    min_checkpoint_ = std::min(min_checkpoint_, slot->checkpoint);
  }
  return true;
}

absl::Status ProjectionEngine::ReloadAll() {
  absl::Status first_error;
  for (Slot& slot : slots_) {
    first_error.Update(Load(slot));
  }
  absl::MutexLock lock(&mu_);
  for (const Slot& slot : slots_) {
    min_checkpoint_ = std::min(min_checkpoint_, slot.checkpoint);
  }
  return first_error;
}

absl::StatusOr<bool> ProjectionEngine::FoldBatch() {
  uint64_t from = UINT64_MAX;
  for (const Slot& slot : slots_) from = std::min(from, slot.checkpoint + 1);
  const uint64_t head = log_->HeadPosition();
  if (from > head) return false;
  const uint64_t to = std::min<uint64_t>(head, from + options_.batch_size - 1);

  const bool large = to - from + 1 >= options_.parallel_min_events;
  const int threads = large ? options_.fold_threads : 1;
  // A catch-up or rebuild batch is committed at once; the few events of a
  // live tail wait for the next commit, so that a busy tail costs the
  // shared database one write per interval instead of one per log commit.
  const bool commit =
      large || absl::Now() - last_commit_ >= options_.commit_interval;
  // Per slot: the changes taken by the thread that folded it.
  std::vector<std::vector<StateWrite>> changes(slots_.size());
  std::vector<FoldTarget> targets;
  for (size_t i = 0; i < slots_.size(); ++i) {
    targets.push_back({.projection = slots_[i].projection,
                       .checkpoint = slots_[i].checkpoint,
                       .changes = commit ? &changes[i] : nullptr});
  }
  if (absl::Status folded =
          FoldRange(*log_, from, to, targets, {.threads = threads});
      !folded.ok()) {
    // Some projections may have folded part of the batch: put them back
    // to their stored state so the retry folds each event exactly once.
    absl::Status reload = ReloadAll();
    return reload.ok() ? folded : reload;
  }
  {
    absl::MutexLock lock(&mu_);
    uint64_t min_checkpoint = UINT64_MAX;
    for (Slot& slot : slots_) {
      slot.checkpoint = std::max(slot.checkpoint, to);
      min_checkpoint = std::min(min_checkpoint, slot.checkpoint);
    }
    min_checkpoint_ = min_checkpoint;
  }
  if (commit) RETURN_IF_ERROR(CommitFolded(changes));
  return true;
}

absl::Status ProjectionEngine::CommitFolded(
    std::vector<std::vector<StateWrite>>& changes) {
  last_commit_ = absl::Now();
  std::vector<ProjectionCommit> commits;
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (slot.committed >= slot.checkpoint) continue;
    // Changes of batches folded without a commit are still in the
    // projection.
    slot.projection->TakeChanges(&changes[i]);
    commits.push_back({.projection = slot.projection->name(),
                       .checkpoint = {.position = slot.checkpoint,
                                      .version = slot.projection->version()},
                       .writes = &changes[i]});
  }
  if (commits.empty()) return absl::OkStatus();
  if (absl::Status status = store_->CommitAll(commits); !status.ok()) {
    // Nothing of it is stored, but the projections folded it: put them
    // back to their stored state so the retry folds the same events
    // again, exactly once.
    absl::Status reload = ReloadAll();
    return reload.ok() ? status : reload;
  }
  for (Slot& slot : slots_) slot.committed = slot.checkpoint;
  return absl::OkStatus();
}

void ProjectionEngine::CommitPending() {
  std::vector<std::vector<StateWrite>> changes(slots_.size());
  if (absl::Status committed = CommitFolded(changes); !committed.ok()) {
    absl::MutexLock lock(&mu_);
    last_error_ = committed;
  }
}

bool ProjectionEngine::HasUncommitted() const {
  for (const Slot& slot : slots_) {
    if (slot.committed < slot.checkpoint) return true;
  }
  return false;
}

void ProjectionEngine::Run() {
  if (slots_.empty()) return;
  while (TakeRebuilds()) {
    absl::StatusOr<bool> progressed = FoldBatch();
    if (!progressed.ok()) {
      absl::MutexLock lock(&mu_);
      last_error_ = progressed.status();
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.retry_delay);
      continue;
    }
    if (*progressed) {
      absl::MutexLock lock(&mu_);
      last_error_ = absl::OkStatus();
      continue;
    }
    // Caught up: sleep until a commit, a rebuild request or Stop; or,
    // with folds not yet stored, until the commit interval ends.
    const bool uncommitted = HasUncommitted();
    bool commit_due = false;
    {
      absl::MutexLock lock(&mu_);
      last_error_ = absl::OkStatus();
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || rebuild_pending_ ||
               notified_head_ > min_checkpoint_;
      };
      if (uncommitted) {
        commit_due = !mu_.AwaitWithDeadline(
            absl::Condition(&work), last_commit_ + options_.commit_interval);
      } else {
        mu_.Await(absl::Condition(&work));
      }
    }
    if (commit_due) CommitPending();
  }
}

}  // namespace coopcraft::projections
