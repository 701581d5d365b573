// The engine when its store or its log fails: a failed commit keeps the
// folded changes and retries them later, less and less often, reporting
// the failure until a commit succeeds; a failed scan keeps what each view
// folded; and no view is ever seen behind the position the engine
// publishes for it, which is what a query's min_position trusts.
#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_catalog.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/unit/projections/project_view_comparison.h"
#include "tests/unit/projections/stored_state.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::projections::testing::ExpectSameViews;
using ::coopcraft::projections::testing::kPatience;
using ::coopcraft::projections::testing::LastErrorBecomes;
using ::coopcraft::projections::testing::Measure;
using ::coopcraft::projections::testing::Reflected;
using ::coopcraft::projections::testing::Stored;
using ::coopcraft::projections::testing::StoredCheckpoint;
using ::coopcraft::projections::testing::StoredUpTo;
using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;
using ::coopcraft::testing::HistoryOptions;

// Samples the engine's published position and then the view, from a
// polling thread and from the store's and log's calls (where a reload or a
// retry happens), and checks afterwards that no sample showed the view
// behind what a fresh fold of the log up to the published position
// reflects. Reading the position first makes the check exact: the view
// can only have folded more by the time it is read.
class ClaimChecker {
 public:
  explicit ClaimChecker(const ProjectViewProjection* views) : views_(views) {}
  ~ClaimChecker() { StopPolling(); }

  void Watch(const ProjectionEngine* engine) { engine_.store(engine); }
  void Unwatch() { engine_.store(nullptr); }

  void Sample() {
    const ProjectionEngine* engine = engine_.load();
    if (engine == nullptr) return;
    const uint64_t position = engine->Position();
    const Reflected seen = Measure(*views_);
    absl::MutexLock lock(&mu_);
    samples_.push_back({position, seen});
  }

  void StartPolling() {
    poller_ = std::thread([this] {
      while (!polling_done_.HasBeenNotified()) {
        Sample();
        absl::SleepFor(absl::Microseconds(200));
      }
    });
  }

  void StopPolling() {
    if (!poller_.joinable()) return;
    polling_done_.Notify();
    poller_.join();
  }

  // One line per sample that saw the view behind its published position.
  std::vector<std::string> Violations(const storage::EventLog& log) {
    std::vector<std::pair<uint64_t, Reflected>> samples;
    {
      absl::MutexLock lock(&mu_);
      samples = samples_;
    }
    std::vector<uint64_t> positions;
    for (const auto& [position, seen] : samples) positions.push_back(position);
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()),
                    positions.end());
    // A fresh fold, stopped at each sampled position in turn.
    std::map<uint64_t, Reflected> expected;
    ProjectViewProjection fresh;
    uint64_t folded = 0;
    for (uint64_t position : positions) {
      if (position > folded) {
        auto scanned =
            log.ScanAll({.from_position = folded + 1,
                         .max_count = static_cast<size_t>(position - folded),
                         .max_scan = static_cast<size_t>(position - folded)},
                        [&fresh](const v1::EventRecord& record) {
                          ApplyRecord(record, fresh);
                          return absl::OkStatus();
                        });
        EXPECT_TRUE(scanned.ok()) << scanned.status();
        folded = position;
      }
      expected[position] = Measure(fresh);
    }
    std::vector<std::string> violations;
    for (const auto& [position, seen] : samples) {
      const Reflected& want = expected[position];
      if (seen.projects < want.projects || seen.newest < want.newest) {
        violations.push_back(
            absl::StrCat("at published position ", position, " the view had ",
                         seen.projects, " projects up to position ",
                         seen.newest, ", a fold of the log there has ",
                         want.projects, " up to ", want.newest));
      }
    }
    return violations;
  }

  size_t SampleCount() {
    absl::MutexLock lock(&mu_);
    return samples_.size();
  }

 private:
  const ProjectViewProjection* const views_;
  std::atomic<const ProjectionEngine*> engine_{nullptr};
  absl::Notification polling_done_;
  std::thread poller_;
  absl::Mutex mu_;
  std::vector<std::pair<uint64_t, Reflected>> samples_ ABSL_GUARDED_BY(mu_);
};

// Fails with the number of samples that saw a view behind its published
// position, and the first few of them.
void ExpectNoViolations(ClaimChecker& checker, const storage::EventLog& log) {
  const std::vector<std::string> violations = checker.Violations(log);
  std::string first;
  for (size_t i = 0; i < violations.size() && i < 3; ++i) {
    absl::StrAppend(&first, "\n  ", violations[i]);
  }
  EXPECT_TRUE(violations.empty())
      << violations.size() << " samples saw a view behind its published "
      << "position, among them:" << first;
}

// A memory store that fails on demand, as a full or unplugged disk would:
// a failing commit stores nothing (so the store stays atomic). Every Load
// and CommitAll first calls `on_call`.
class FaultyStore final : public ProjectionStore {
 public:
  explicit FaultyStore(std::function<void()> on_call = [] {})
      : on_call_(std::move(on_call)) {}

  absl::StatusOr<std::optional<Checkpoint>> Load(
      std::string_view projection,
      absl::FunctionRef<absl::Status(std::string_view, std::string_view)> visit)
      const override {
    on_call_();
    if (down || TakeOne(loads_to_fail)) {
      return absl::UnavailableError("injected: cannot read the disk");
    }
    return store_.Load(projection, visit);
  }

  absl::Status CommitAll(
      const std::vector<ProjectionCommit>& commits) override {
    on_call_();
    if (full || down || TakeOne(commits_to_fail)) {
      absl::MutexLock lock(&mu_);
      failed_commits_.push_back(absl::Now());
      return absl::UnavailableError("injected: no space left on device");
    }
    return store_.CommitAll(commits);
  }

  absl::Status Reset(std::string_view projection) override {
    return store_.Reset(projection);
  }

  // When each failed commit was attempted.
  std::vector<absl::Time> FailedCommits() const {
    absl::MutexLock lock(&mu_);
    return failed_commits_;
  }

  const MemoryProjectionStore& store() const { return store_; }

  // Every commit fails while set.
  std::atomic<bool> full{false};
  // Every load and every commit fails while set.
  std::atomic<bool> down{false};
  // The next this many commits (loads) fail.
  std::atomic<int> commits_to_fail{0};
  mutable std::atomic<int> loads_to_fail{0};

 private:
  static bool TakeOne(std::atomic<int>& count) {
    int left = count.load();
    while (left > 0) {
      if (count.compare_exchange_weak(left, left - 1)) return true;
    }
    return false;
  }

  const std::function<void()> on_call_;
  mutable absl::Mutex mu_;
  std::vector<absl::Time> failed_commits_ ABSL_GUARDED_BY(mu_);
  MemoryProjectionStore store_;
};

// A memory log whose scan of one armed position fails once, as a read
// error would; everything else is passed through.
class FaultyScanLog final : public storage::EventLog {
 public:
  absl::StatusOr<storage::AppendResult> Append(
      std::string_view stream, const storage::ExpectedRevision& expected,
      std::vector<storage::NewEvent> events) override {
    return log_.Append(stream, expected, std::move(events));
  }
  void AppendAsync(std::string stream, storage::ExpectedRevision expected,
                   std::vector<storage::NewEvent> events,
                   AppendDone done) override {
    log_.AppendAsync(std::move(stream), std::move(expected), std::move(events),
                     std::move(done));
  }
  using storage::EventLog::ReadStream;
  absl::StatusOr<std::vector<v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision,
      storage::Direction direction, size_t max_count,
      size_t max_bytes) const override {
    return log_.ReadStream(stream, from_revision, direction, max_count,
                           max_bytes);
  }
  absl::StatusOr<storage::ReadAllResult> ReadAll(
      const storage::ReadAllOptions& options) const override {
    return log_.ReadAll(options);
  }
  absl::StatusOr<uint64_t> ScanAll(
      const storage::ReadAllOptions& options,
      absl::FunctionRef<absl::Status(const v1::EventRecord&)> visit)
      const override {
    uint64_t armed = fail_at.load();
    if (armed != 0 && armed >= options.from_position &&
        armed - options.from_position < options.max_scan &&
        fail_at.compare_exchange_strong(armed, 0)) {
      failed.Notify();
      return absl::UnavailableError("injected: read error");
    }
    return log_.ScanAll(options, visit);
  }
  absl::StatusOr<v1::EventRecord> ReadEvent(
      std::string_view event_id) const override {
    return log_.ReadEvent(event_id);
  }
  absl::StatusOr<std::optional<uint64_t>> StreamRevision(
      std::string_view stream) const override {
    return log_.StreamRevision(stream);
  }
  uint64_t HeadPosition() const override { return log_.HeadPosition(); }
  absl::Status WaitForPosition(uint64_t position,
                               absl::Time deadline) const override {
    return log_.WaitForPosition(position, deadline);
  }
  storage::TailListenerHandle AddTailListener(
      std::function<void(uint64_t head)> listener) override {
    return log_.AddTailListener(std::move(listener));
  }
  using storage::EventLog::VerifyChain;
  absl::StatusOr<storage::ChainVerification> VerifyChain(
      uint64_t from, uint64_t to,
      const std::function<bool()>& cancelled) const override {
    return log_.VerifyChain(from, to, cancelled);
  }

  // The first scan that covers this position fails (0: none).
  mutable std::atomic<uint64_t> fail_at{0};
  mutable absl::Notification failed;

 private:
  storage::MemoryEventLog log_;
};

absl::Status CatchUp(const ProjectionEngine& engine,
                     const storage::EventLog& log) {
  return engine.WaitUntil(log.HeadPosition(), absl::Now() + kPatience);
}

void Append(storage::EventLog& log, const HistoryOptions& options) {
  ASSERT_TRUE(AppendHistory(log, GenerateProgrammeHistory(options)).ok());
}

// A fresh fold of the whole of `log` into `views`, stored in `store`.
void Rebuild(storage::EventLog& log, ProjectionStore& store,
             const std::vector<Projection*>& views) {
  auto engine = ProjectionEngine::Start(&log, &store, views);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE(CatchUp(**engine, log).ok());
}

// Expects `views` to equal a fresh fold of the whole of `log`, stored in
// `fresh_store`.
void ExpectViewsOfARebuild(storage::EventLog& log,
                           const ProjectViewProjection& views,
                           MemoryProjectionStore& fresh_store) {
  ProjectViewProjection rebuilt;
  Rebuild(log, fresh_store, {&rebuilt});
  ExpectSameViews(views, rebuilt);
}

// Every projection of the catalog, fresh.
std::vector<std::unique_ptr<Projection>> Catalog() {
  std::vector<std::unique_ptr<Projection>> all;
  for (const std::string& name : ProjectionCatalog::Default().Names()) {
    all.push_back(*ProjectionCatalog::Default().Create(name));
  }
  return all;
}

std::vector<Projection*> Raw(
    const std::vector<std::unique_ptr<Projection>>& projections) {
  std::vector<Projection*> raw;
  for (const auto& projection : projections) raw.push_back(projection.get());
  return raw;
}

std::vector<std::string_view> Names(
    const std::vector<std::unique_ptr<Projection>>& projections) {
  std::vector<std::string_view> names;
  for (const auto& projection : projections) {
    names.push_back(projection->name());
  }
  return names;
}

ProjectViewProjection* ProjectViewOf(
    const std::vector<std::unique_ptr<Projection>>& projections) {
  for (const auto& projection : projections) {
    if (auto* views = dynamic_cast<ProjectViewProjection*>(projection.get())) {
      return views;
    }
  }
  return nullptr;
}

// Two transient storage errors in a row: the commit of a live batch fails,
// and so would a reload of the views from the store. The views keep every
// folded event, the retry stores them, and a restart over the same store
// equals a fresh fold of the log.
TEST(ProjectionEngineFailureTest, ACommitThenALoadFailingLosesNoFoldedEvent) {
  storage::MemoryEventLog log;
  ProjectViewProjection views;
  ClaimChecker checker(&views);
  FaultyStore store([&checker] { checker.Sample(); });
  Append(log, {.seed = 1, .projects = 20, .events_per_project = 10});
  auto engine = ProjectionEngine::Start(
      &log, &store, {&views},
      {.batch_size = 100000,
       .fold_threads = 1,
       .parallel_min_events = 50,
       .retry_delay = absl::Milliseconds(5),
       .commit_interval = absl::ZeroDuration()});  // commits every batch
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  ASSERT_TRUE(StoredUpTo(store.store(), {"project_view"}, log.HeadPosition()));
  checker.Watch(engine->get());
  checker.StartPolling();

  store.commits_to_fail = 1;
  store.loads_to_fail = 1;
  Append(log, {.seed = 2, .projects = 3, .events_per_project = 5});
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  ASSERT_TRUE(StoredUpTo(store.store(), {"project_view"}, log.HeadPosition()));
  EXPECT_EQ(store.commits_to_fail.load(), 0) << "no commit failed";
  EXPECT_TRUE(LastErrorBecomes(**engine, true)) << (*engine)->LastError();
  // Later events are stored as usual.
  Append(log, {.seed = 3, .projects = 2, .events_per_project = 5});
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  ASSERT_TRUE(StoredUpTo(store.store(), {"project_view"}, log.HeadPosition()));

  MemoryProjectionStore fresh_store;
  ProjectViewProjection rebuilt;
  Rebuild(log, fresh_store, {&rebuilt});
  ExpectSameViews(views, rebuilt);
  checker.StopPolling();
  checker.Unwatch();
  engine->reset();
  ExpectNoViolations(checker, log);

  const auto stored = Stored(store.store(), "project_view");
  EXPECT_TRUE(stored == Stored(fresh_store, "project_view"));
  // The failing load was for a reload of the views, which the engine no
  // longer does; the restart reads a healthy store.
  store.loads_to_fail = 0;
  ProjectViewProjection restarted;
  auto again = ProjectionEngine::Start(&log, &store, {&restarted});
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(CatchUp(**again, log).ok());
  ExpectSameViews(restarted, rebuilt);
}

// A disk that stays full: the views keep folding and stay whole, the
// failure is reported the whole time, and the commit is retried after a
// wait that doubles up to max_retry_delay, not every commit interval.
TEST(ProjectionEngineFailureTest,
     ACommitThatKeepsFailingIsRetriedLessOftenAndReported) {
  storage::MemoryEventLog log;
  ProjectViewProjection views;
  ClaimChecker checker(&views);
  FaultyStore store([&checker] { checker.Sample(); });
  Append(log, {.seed = 4, .projects = 20, .events_per_project = 10});
  const absl::Duration base = absl::Milliseconds(10);
  const absl::Duration cap = absl::Milliseconds(160);
  auto engine = ProjectionEngine::Start(&log, &store, {&views},
                                        {.fold_threads = 1,
                                         .retry_delay = base,
                                         .max_retry_delay = cap,
                                         .commit_interval = base});
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  const uint64_t stored_before = log.HeadPosition();
  ASSERT_TRUE(StoredUpTo(store.store(), {"project_view"}, stored_before));
  checker.Watch(engine->get());
  checker.StartPolling();

  store.full = true;
  Append(log, {.seed = 5, .projects = 1, .events_per_project = 3});
  ASSERT_TRUE(LastErrorBecomes(**engine, false));
  // A fixed window, with a live tail appending now and then.
  const absl::Duration window = absl::Milliseconds(1200);
  const absl::Time end = absl::Now() + window;
  int ok_samples = 0;
  int samples = 0;
  absl::Time next_append = absl::Now();
  for (uint64_t seed = 100; absl::Now() < end; absl::SleepFor(base / 10)) {
    ++samples;
    if ((*engine)->LastError().ok()) ++ok_samples;
    if (absl::Now() >= next_append) {
      Append(log, {.seed = seed++, .projects = 1, .events_per_project = 2});
      next_append = absl::Now() + absl::Milliseconds(150);
    }
  }
  const std::vector<absl::Time> attempts = store.FailedCommits();
  EXPECT_EQ(ok_samples, 0) << "LastError was OK in " << ok_samples << " of "
                           << samples << " samples while no commit succeeded";
  // Doubling from 10 ms to 160 ms puts about 11 attempts in 1.2 s; one per
  // commit interval would be over a hundred. A slow machine only makes
  // fewer.
  EXPECT_GE(attempts.size(), 3u);
  EXPECT_LE(attempts.size(), 14u);
  for (size_t i = 1; i < attempts.size(); ++i) {
    const absl::Duration backoff =
        std::min(base * (1 << std::min<size_t>(i - 1, 16)), cap);
    if (attempts[i] - attempts[i - 1] < backoff / 2) {
      ADD_FAILURE() << "attempt " << i << " came "
                    << attempts[i] - attempts[i - 1]
                    << " after the one before, within its backoff of "
                    << backoff;
      break;
    }
  }
  // Nothing was stored, yet the views hold every event.
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  EXPECT_EQ(StoredCheckpoint(store.store(), "project_view"), stored_before);
  MemoryProjectionStore fresh_store;
  ExpectViewsOfARebuild(log, views, fresh_store);
  checker.StopPolling();
  checker.Unwatch();
  EXPECT_GT(checker.SampleCount(), 0u);
  ExpectNoViolations(checker, log);

  store.full = false;
  EXPECT_TRUE(StoredUpTo(store.store(), {"project_view"}, log.HeadPosition()));
  EXPECT_TRUE(LastErrorBecomes(**engine, true)) << (*engine)->LastError();
}

// A store down for a while (reads and writes fail) that comes back: every
// change folded meanwhile, from batches committed at once and from batches
// left in the projections, is stored by the first commit that succeeds,
// each event counted once, and a restart resumes at the head.
TEST(ProjectionEngineFailureTest, AStoreThatHealsStoresEveryPendingChangeOnce) {
  storage::MemoryEventLog log;
  std::vector<std::unique_ptr<Projection>> projections = Catalog();
  ProjectViewProjection* views = ProjectViewOf(projections);
  ASSERT_NE(views, nullptr);
  ClaimChecker checker(views);
  FaultyStore store([&checker] { checker.Sample(); });
  Append(log, {.seed = 21,
               .projects = 30,
               .events_per_project = 20,
               .max_events_per_append = 4,
               .include_selection = true});
  auto engine =
      ProjectionEngine::Start(&log, &store, Raw(projections),
                              {.batch_size = 997,
                               .fold_threads = 2,
                               .parallel_min_events = 8,
                               .retry_delay = absl::Milliseconds(5),
                               .max_retry_delay = absl::Milliseconds(40),
                               .commit_interval = absl::Milliseconds(1)});
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  ASSERT_TRUE(
      StoredUpTo(store.store(), Names(projections), log.HeadPosition()));
  checker.Watch(engine->get());
  checker.StartPolling();

  store.down = true;
  const uint64_t stored_before = log.HeadPosition();
  for (uint64_t seed = 22; seed < 28; ++seed) {
    // Large batches (folded on two threads, changes taken at once) and
    // small ones (changes left in the projections), touching the same
    // keys again and again.
    Append(log, {.seed = seed,
                 .projects = seed % 2 == 0 ? 30u : 2u,
                 .events_per_project = 6,
                 .max_events_per_append = 4,
                 .include_selection = seed % 2 == 0});
    ASSERT_TRUE(CatchUp(**engine, log).ok());
    absl::SleepFor(absl::Milliseconds(30));
  }
  EXPECT_FALSE((*engine)->LastError().ok());
  EXPECT_GE(store.FailedCommits().size(), 2u);
  EXPECT_EQ(StoredCheckpoint(store.store(), "project_view"), stored_before);

  store.down = false;
  ASSERT_TRUE(
      StoredUpTo(store.store(), Names(projections), log.HeadPosition()));
  EXPECT_TRUE(LastErrorBecomes(**engine, true)) << (*engine)->LastError();
  checker.StopPolling();
  checker.Unwatch();
  engine->reset();
  ExpectNoViolations(checker, log);

  MemoryProjectionStore reference_store;
  std::vector<std::unique_ptr<Projection>> reference = Catalog();
  Rebuild(log, reference_store, Raw(reference));
  for (const auto& projection : projections) {
    EXPECT_TRUE(Stored(store.store(), projection->name()) ==
                Stored(reference_store, projection->name()))
        << projection->name();
  }
  ExpectSameViews(*views, *ProjectViewOf(reference));
  std::vector<std::unique_ptr<Projection>> restarted = Catalog();
  auto again = ProjectionEngine::Start(&log, &store, Raw(restarted));
  ASSERT_TRUE(again.ok()) << again.status();
  for (const ProjectionLag& lag : (*again)->Lags()) {
    EXPECT_EQ(lag.checkpoint, log.HeadPosition()) << lag.name;
  }
  ASSERT_TRUE(CatchUp(**again, log).ok());
  ExpectSameViews(*ProjectViewOf(restarted), *ProjectViewOf(reference));
}

// A scan that fails in the middle of a catch-up: each view keeps the
// chunks it folded, with its published position there (not back at the
// stored checkpoint, and never ahead of the view), and the retry folds the
// rest exactly once.
TEST(ProjectionEngineFailureTest, AFailedScanKeepsWhatEachViewFolded) {
  FaultyScanLog log;
  FaultyStore store;
  Append(log, {.seed = 31, .projects = 10, .events_per_project = 10});
  const uint64_t stored_before = log.HeadPosition();
  {
    ProjectViewProjection first;
    Rebuild(log, store, {&first});
  }
  ASSERT_EQ(StoredCheckpoint(store.store(), "project_view"), stored_before);
  Append(log, {.seed = 32, .projects = 120, .events_per_project = 50});
  // FoldRange scans 1,024 events at a time and decodes chunk 4 only once
  // every projection has folded chunk 0: the failure comes after some
  // progress.
  ASSERT_GT(log.HeadPosition(), stored_before + 5 * 1024);
  log.fail_at = stored_before + 4 * 1024 + 500;

  ProjectViewProjection views;
  ClaimChecker checker(&views);
  auto engine = ProjectionEngine::Start(&log, &store, {&views},
                                        {.fold_threads = 2,
                                         .parallel_min_events = 64,
                                         .retry_delay = absl::Seconds(1),
                                         .commit_interval = absl::Hours(1)});
  ASSERT_TRUE(engine.ok()) << engine.status();
  checker.Watch(engine->get());
  checker.StartPolling();
  log.failed.WaitForNotification();
  ASSERT_TRUE(LastErrorBecomes(**engine, false));
  // Within the retry delay: the views kept what they folded.
  EXPECT_GE((*engine)->Position(), stored_before + 1024);
  checker.Sample();
  ASSERT_TRUE(CatchUp(**engine, log).ok());
  EXPECT_TRUE(LastErrorBecomes(**engine, true)) << (*engine)->LastError();

  MemoryProjectionStore fresh_store;
  ExpectViewsOfARebuild(log, views, fresh_store);
  checker.StopPolling();
  checker.Unwatch();
  engine->reset();  // stores the rest
  ExpectNoViolations(checker, log);
  EXPECT_TRUE(Stored(store.store(), "project_view") ==
              Stored(fresh_store, "project_view"));
}

}  // namespace
}  // namespace coopcraft::projections
