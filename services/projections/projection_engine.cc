// ProjectionEngine: one thread folds the log into every projection, batch
// by batch, and commits the projections' changes with their checkpoints in
// one store write per catch-up batch or per commit interval on a live tail.
// A view never goes back: a failed commit keeps its changes for a later
// attempt, and a failed scan keeps what each projection folded; neither
// reloads a view from the store while queries read it.
#include "services/projections/projection_engine.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
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
  // resumes from here instead of folding the last interval again. One
  // last attempt even within a backoff: what fails here is folded again
  // from the log at the next start.
  CommitFolded().IgnoreError();
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
    // Start fails; leave no half-loaded view behind.
    projection.Clear();
    return stored.status();
  }
  return Reset(slot);
}

absl::Status ProjectionEngine::Reset(Slot& slot) {
  {
    // A query that found the position reached may be reading the view
    // right now: wait for it, and keep new ones out until the position
    // is lowered (under the lock Position() and WaitUntil take) and the
    // view is empty, so none is told an empty view is caught up.
    absl::MutexLock views_lock(&views_mu_);
    {
      absl::MutexLock lock(&mu_);
      slot.checkpoint = 0;
      min_checkpoint_ = 0;
    }
    slot.projection->Clear();
  }
  slot.committed = 0;
  slot.unstored.Clear();
  return store_->Reset(slot.projection->name());
}

void ProjectionEngine::PublishPosition() {
  uint64_t min_checkpoint = UINT64_MAX;
  for (const Slot& slot : slots_) {
    min_checkpoint = std::min(min_checkpoint, slot.checkpoint);
  }
  min_checkpoint_ = min_checkpoint;
}

void ProjectionEngine::UnstoredWrites::Add(std::vector<StateWrite> writes) {
  if (writes.empty()) return;
  if (writes_.empty()) {
    writes_ = std::move(writes);
    index_.clear();
    return;
  }
  if (index_.empty()) {
    // A key written twice keeps its last index, which the store applies
    // last.
    for (size_t i = 0; i < writes_.size(); ++i) index_[writes_[i].key] = i;
  }
  for (StateWrite& write : writes) {
    auto [it, inserted] = index_.try_emplace(write.key, writes_.size());
    if (inserted) {
      writes_.push_back(std::move(write));
    } else {
      writes_[it->second].value = std::move(write.value);
    }
  }
}

void ProjectionEngine::UnstoredWrites::Clear() {
  writes_ = std::vector<StateWrite>();
  index_ = absl::flat_hash_map<std::string, size_t>();
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

std::optional<absl::Status> ProjectionEngine::ReadAtLeast(
    uint64_t min_position, absl::FunctionRef<absl::Status()> read) const {
  absl::ReaderMutexLock views_lock(&views_mu_);
  if (Position() < min_position) return std::nullopt;
  return read();
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
  return fold_error_.ok() ? commit_error_ : fold_error_;
}

bool ProjectionEngine::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

absl::Status ProjectionEngine::TakeRebuilds() {
  std::vector<Slot*> to_rebuild;
  {
    absl::MutexLock lock(&mu_);
    if (!rebuild_pending_) return absl::OkStatus();
    rebuild_pending_ = false;
    for (Slot& slot : slots_) {
      if (slot.rebuild_requested) to_rebuild.push_back(&slot);
      slot.rebuild_requested = false;
    }
  }
  absl::Status first_error;
  for (Slot* slot : to_rebuild) {
    absl::Status status = Reset(*slot);
    if (!status.ok()) {
      // The store may still hold the old state: the caller waits and
      // resets again before folding, so nothing is committed over it.
      absl::MutexLock lock(&mu_);
      slot->rebuild_requested = true;
      rebuild_pending_ = true;
      first_error.Update(status);
    }
  }
  return first_error;
}

namespace {

// Forwards a projection's fold and notes how far it got: FoldRange hands
// each projection whole chunks in log order, so after a failed scan the
// projection holds exactly the events up to the last one it folded, and
// the engine moves its checkpoint there instead of reloading it.
class FoldProgress final : public Projection {
 public:
  explicit FoldProgress(Projection* projection) : projection_(projection) {}

  std::string_view name() const override { return projection_->name(); }
  uint32_t version() const override { return projection_->version(); }
  void Clear() override { projection_->Clear(); }
  absl::Status Restore(std::string_view key, std::string_view value) override {
    return projection_->Restore(key, value);
  }
  void Apply(const DecodedEvent& event) override {
    last_ = event.position();
    ++count_;
    projection_->Apply(event);
  }
  void TakeChanges(std::vector<StateWrite>* writes) override {
    projection_->TakeChanges(writes);
  }
  std::string_view StateType(std::string_view key) const override {
    return projection_->StateType(key);
  }

  // The last position folded, and how many events were; written by the
  // fold's threads, read once FoldRange has returned.
  uint64_t last() const { return last_; }
  uint64_t count() const { return count_; }

 private:
  Projection* const projection_;
  uint64_t last_ = 0;
  uint64_t count_ = 0;
};

}  // namespace

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
  // After a failed commit both wait for the backoff.
  const absl::Time now = absl::Now();
  const bool commit = now >= NextCommitTime() ||
                      (large && commit_backoff_ == absl::ZeroDuration());
  // Per slot: the changes taken by the thread that folded it.
  std::vector<std::vector<StateWrite>> changes(slots_.size());
  std::vector<FoldProgress> progress;
  progress.reserve(slots_.size());
  std::vector<FoldTarget> targets;
  for (size_t i = 0; i < slots_.size(); ++i) {
    progress.emplace_back(slots_[i].projection);
    targets.push_back({.projection = &progress[i],
                       .checkpoint = slots_[i].checkpoint,
                       .changes = commit ? &changes[i] : nullptr});
  }
  const absl::Status folded =
      FoldRange(*log_, from, to, targets, {.threads = threads});
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].unstored.Add(std::move(changes[i]));
  }
  std::vector<Slot*> broken;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& slot = slots_[i];
      if (folded.ok()) {
        slot.checkpoint = std::max(slot.checkpoint, to);
      } else if (progress[i].count() > 0) {
        // Only a scan fails, never a fold, and FoldRange hands each
        // projection whole chunks in order: it folded a prefix of the
        // events past its checkpoint. Checked all the same, because a view
        // holding anything else matches no checkpoint and could only
        // count events twice or miss them: such a view rebuilds instead.
        if (progress[i].last() - slot.checkpoint == progress[i].count()) {
          slot.checkpoint = progress[i].last();
        } else {
          broken.push_back(&slot);
        }
      }
    }
    PublishPosition();
  }
  for (Slot* slot : broken) {
    if (!Reset(*slot).ok()) {
      absl::MutexLock lock(&mu_);
      slot->rebuild_requested = true;
      rebuild_pending_ = true;
    }
  }
  if (!folded.ok()) return folded;
  if (commit) CommitFolded().IgnoreError();  // kept in commit_error_
  return true;
}

absl::Time ProjectionEngine::NextCommitTime() const {
  if (commit_backoff_ > absl::ZeroDuration()) {
    return last_commit_ + commit_backoff_;
  }
  return last_commit_ + options_.commit_interval;
}

absl::Status ProjectionEngine::CommitFolded() {
  last_commit_ = absl::Now();
  std::vector<ProjectionCommit> commits;
  for (Slot& slot : slots_) {
    if (slot.committed >= slot.checkpoint) continue;
    // Changes of batches folded without a commit are still in the
    // projection.
    std::vector<StateWrite> pending;
    slot.projection->TakeChanges(&pending);
    slot.unstored.Add(std::move(pending));
    commits.push_back({.projection = slot.projection->name(),
                       .checkpoint = {.position = slot.checkpoint,
                                      .version = slot.projection->version()},
                       .writes = &slot.unstored.writes()});
  }
  absl::Status status = absl::OkStatus();
  if (!commits.empty()) status = store_->CommitAll(commits);
  if (status.ok()) {
    for (Slot& slot : slots_) {
      slot.committed = slot.checkpoint;
      slot.unstored.Clear();
    }
    commit_backoff_ = absl::ZeroDuration();
  } else {
    // Nothing of it is stored (CommitAll is atomic), and the views keep
    // what they folded: the next attempt stores the same changes, and any
    // folded since, with a later checkpoint, so each event still counts
    // exactly once. Backing off spares a full disk a write per interval.
    const absl::Duration cap =
        std::max(options_.max_retry_delay, options_.retry_delay);
    commit_backoff_ =
        commit_backoff_ == absl::ZeroDuration()
            ? std::max(options_.retry_delay, absl::Milliseconds(1))
            : std::min(commit_backoff_ * 2, cap);
  }
  absl::MutexLock lock(&mu_);
  commit_error_ = status;
  return status;
}

bool ProjectionEngine::HasUncommitted() const {
  for (const Slot& slot : slots_) {
    if (slot.committed < slot.checkpoint) return true;
  }
  return false;
}

void ProjectionEngine::Run() {
  if (slots_.empty()) return;
  while (!Stopping()) {
    absl::Status reset = TakeRebuilds();
    absl::StatusOr<bool> progressed =
        reset.ok() ? FoldBatch() : absl::StatusOr<bool>(reset);
    if (!progressed.ok()) {
      absl::MutexLock lock(&mu_);
      fold_error_ = progressed.status();
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.retry_delay);
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      fold_error_ = absl::OkStatus();
    }
    if (*progressed) continue;
    // Caught up: sleep until a commit, a rebuild request or Stop; or,
    // with folds not yet stored, until the next commit is due.
    const bool uncommitted = HasUncommitted();
    bool commit_due = false;
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || rebuild_pending_ ||
               notified_head_ > min_checkpoint_;
      };
      if (uncommitted) {
        commit_due =
            !mu_.AwaitWithDeadline(absl::Condition(&work), NextCommitTime());
      } else {
        mu_.Await(absl::Condition(&work));
      }
    }
    if (commit_due) CommitFolded().IgnoreError();  // kept in commit_error_
  }
}

}  // namespace coopcraft::projections
