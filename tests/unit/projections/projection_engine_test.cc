// The engine: incremental folding equals a rebuild from zero, restarts
// resume from the stored checkpoint without counting twice, a new version
// rebuilds, lag is observable, WaitUntil honours its deadline and a failed
// commit is retried without folding any event twice.
#include "services/projections/projection_engine.h"

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_catalog.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/unit/projections/forwarding_project_view.h"
#include "tests/unit/projections/project_view_comparison.h"
#include "tests/unit/projections/stored_state.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::projections::testing::ExpectSameViews;
using ::coopcraft::projections::testing::kPatience;
using ::coopcraft::projections::testing::LastErrorBecomes;
using ::coopcraft::projections::testing::Stored;
using ::coopcraft::projections::testing::StoredCheckpoint;
using ::coopcraft::projections::testing::StoredUpTo;
using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;
using ::coopcraft::testing::HistoryAppend;

// A projection whose version a test chooses.
class VersionedProjectView final : public testing::ForwardingProjectView {
 public:
  explicit VersionedProjectView(uint32_t version) : version_(version) {}
  uint32_t version() const override { return version_; }

 private:
  uint32_t version_;
};

// A memory store whose n-th commit including one projection fails (and
// stores nothing), as a full disk would.
class FailingOnceStore final : public ProjectionStore {
 public:
  FailingOnceStore(std::string projection, int failing_commit)
      : projection_(std::move(projection)), failing_commit_(failing_commit) {}

  absl::StatusOr<std::optional<Checkpoint>> Load(
      std::string_view projection,
      absl::FunctionRef<absl::Status(std::string_view, std::string_view)> visit)
      const override {
    return store_.Load(projection, visit);
  }
  absl::Status CommitAll(
      const std::vector<ProjectionCommit>& commits) override {
    for (const ProjectionCommit& commit : commits) {
      if (commit.projection == projection_ && ++commits_ == failing_commit_) {
        return absl::UnavailableError("no space left on device");
      }
    }
    return store_.CommitAll(commits);
  }
  absl::Status Reset(std::string_view projection) override {
    return store_.Reset(projection);
  }

  const MemoryProjectionStore& store() const { return store_; }
  bool failed() const { return commits_ >= failing_commit_; }

 private:
  const std::string projection_;
  const int failing_commit_;
  int commits_ = 0;
  MemoryProjectionStore store_;
};

// The keys whose values differ between two stored states, for a failure
// message that does not print whole states.
std::string DifferingKeys(const std::map<std::string, std::string>& a,
                          const std::map<std::string, std::string>& b) {
  std::string keys;
  auto note = [&keys](const std::string& key) {
    if (keys.size() < 200) keys += key + " ";
  };
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end() || it->second != value) note(key);
  }
  for (const auto& [key, value] : b) {
    if (!a.contains(key)) note(key);
  }
  return keys;
}

class ProjectionEngineTest : public ::testing::Test {
 protected:
  std::unique_ptr<ProjectionEngine> StartEngine(Projection* projection,
                                                size_t batch_size = 512) {
    auto engine = ProjectionEngine::Start(&log_, &store_, {projection},
                                          {.batch_size = batch_size});
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  void Append(std::vector<HistoryAppend> history) {
    ASSERT_TRUE(AppendHistory(log_, std::move(history)).ok());
  }

  absl::Status CatchUp(ProjectionEngine& engine) {
    return engine.WaitUntil(log_.HeadPosition(), absl::Now() + kPatience);
  }

  storage::MemoryEventLog log_;
  MemoryProjectionStore store_;
};

TEST_F(ProjectionEngineTest, IncrementalStateEqualsRebuildOver10000Events) {
  std::vector<HistoryAppend> history = GenerateProgrammeHistory(
      {.seed = 42, .projects = 200, .events_per_project = 50});
  ProjectViewProjection incremental;
  auto engine = StartEngine(&incremental);
  // Appended while the engine follows the tail, in many small steps.
  std::vector<HistoryAppend> step;
  for (HistoryAppend& append : history) {
    step.push_back(std::move(append));
    if (step.size() == 97) Append(std::exchange(step, {}));
  }
  Append(std::move(step));
  ASSERT_GE(log_.HeadPosition(), 10000u);
  ASSERT_TRUE(CatchUp(*engine).ok());

  MemoryProjectionStore fresh_store;
  ProjectViewProjection rebuilt;
  auto rebuild = ProjectionEngine::Start(&log_, &fresh_store, {&rebuilt},
                                         {.batch_size = 4096});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(
      (*rebuild)->WaitUntil(log_.HeadPosition(), absl::Now() + kPatience).ok());
  EXPECT_EQ(rebuilt.size(), 200u);
  ExpectSameViews(incremental, rebuilt);
}

TEST_F(ProjectionEngineTest, RestartResumesFromCheckpointWithoutCountingTwice) {
  std::vector<HistoryAppend> history = GenerateProgrammeHistory(
      {.seed = 7, .projects = 30, .events_per_project = 40});
  std::vector<HistoryAppend> later(
      std::make_move_iterator(history.begin() + history.size() / 2),
      std::make_move_iterator(history.end()));
  history.resize(history.size() / 2);
  Append(std::move(history));
  {
    ProjectViewProjection before;
    auto engine = StartEngine(&before, 64);
    ASSERT_TRUE(CatchUp(*engine).ok());
  }
  Append(std::move(later));
  ProjectViewProjection resumed;
  auto engine = StartEngine(&resumed, 64);
  ASSERT_TRUE(CatchUp(*engine).ok());

  MemoryProjectionStore fresh_store;
  ProjectViewProjection rebuilt;
  auto rebuild = ProjectionEngine::Start(&log_, &fresh_store, {&rebuilt});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(
      (*rebuild)->WaitUntil(log_.HeadPosition(), absl::Now() + kPatience).ok());
  ExpectSameViews(resumed, rebuilt);
}

TEST_F(ProjectionEngineTest, RequestedRebuildEndsInTheSameStateAsAFreshOne) {
  Append(GenerateProgrammeHistory({.seed = 3, .projects = 20}));
  ProjectViewProjection views;
  auto engine = StartEngine(&views);
  ASSERT_TRUE(CatchUp(*engine).ok());
  ASSERT_TRUE(engine->RequestRebuild("project_view").ok());
  EXPECT_TRUE(absl::IsNotFound(engine->RequestRebuild("no_such_view")));
  // The idle engine takes the request before it folds these.
  Append(GenerateProgrammeHistory({.seed = 4, .projects = 5}));
  ASSERT_TRUE(CatchUp(*engine).ok());

  MemoryProjectionStore fresh_store;
  ProjectViewProjection rebuilt;
  auto rebuild = ProjectionEngine::Start(&log_, &fresh_store, {&rebuilt});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(
      (*rebuild)->WaitUntil(log_.HeadPosition(), absl::Now() + kPatience).ok());
  ExpectSameViews(views, rebuilt);
}

TEST_F(ProjectionEngineTest, NewVersionDiscardsStoredStateAndRebuilds) {
  Append(GenerateProgrammeHistory({.seed = 5, .projects = 10}));
  VersionedProjectView v1_views(1);
  {
    auto engine = StartEngine(&v1_views);
    ASSERT_TRUE(CatchUp(*engine).ok());
  }
  // A stored key that no fold of the log produces: only a rebuild drops it.
  ASSERT_TRUE(store_
                  .Commit("project_view",
                          {.position = log_.HeadPosition(), .version = 1},
                          {{.key = "app-ghost",
                            .value = v1::ProjectView().SerializeAsString()}})
                  .ok());
  VersionedProjectView same(1);
  {
    auto engine = StartEngine(&same);
    EXPECT_EQ(same.views.size(), 11u);
  }
  VersionedProjectView v2_views(2);
  auto engine = StartEngine(&v2_views);
  ASSERT_TRUE(CatchUp(*engine).ok());
  EXPECT_EQ(v2_views.views.size(), 10u);
}

TEST_F(ProjectionEngineTest, LagIsHeadMinusCheckpoint) {
  Append(GenerateProgrammeHistory({.seed = 9, .projects = 3}));
  ProjectViewProjection views;
  auto engine = StartEngine(&views);
  ASSERT_TRUE(CatchUp(*engine).ok());
  EXPECT_EQ(engine->Lags().at(0).lag, 0u);
  engine->Stop();
  Append(GenerateProgrammeHistory(
      {.seed = 10, .projects = 1, .events_per_project = 4}));
  const ProjectionLag lag = engine->Lags().at(0);
  EXPECT_EQ(lag.head, log_.HeadPosition());
  EXPECT_EQ(lag.lag, lag.head - lag.checkpoint);
  EXPECT_GT(lag.lag, 0u);
}

TEST_F(ProjectionEngineTest, LiveFoldsAreServedAtOnceAndStoredWhenItStops) {
  Append(GenerateProgrammeHistory({.seed = 12, .projects = 4}));
  ProjectViewProjection views;
  auto engine = ProjectionEngine::Start(&log_, &store_, {&views},
                                        {.commit_interval = absl::Hours(1)});
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(CatchUp(**engine).ok());
  // The first batch after a start is stored at once (right after the views
  // show it).
  const uint64_t first = log_.HeadPosition();
  ASSERT_TRUE(StoredUpTo(store_, {"project_view"}, first));

  Append(GenerateProgrammeHistory(
      {.seed = 13, .projects = 2, .events_per_project = 6}));
  ASSERT_GT(log_.HeadPosition(), first);
  ASSERT_TRUE(CatchUp(**engine).ok());
  // Folded (the views equal a fresh fold, checked below), but within the
  // interval: not stored yet.
  EXPECT_EQ((*engine)->Position(), log_.HeadPosition());
  EXPECT_EQ(StoredCheckpoint(store_, "project_view"), first);

  (*engine)->Stop();
  EXPECT_EQ(StoredCheckpoint(store_, "project_view"), log_.HeadPosition());
  // What was stored is what a fresh fold of the whole log gives.
  MemoryProjectionStore fresh_store;
  ProjectViewProjection rebuilt;
  {
    auto rebuild = ProjectionEngine::Start(&log_, &fresh_store, {&rebuilt});
    ASSERT_TRUE(rebuild.ok());
    ASSERT_TRUE((*rebuild)
                    ->WaitUntil(log_.HeadPosition(), absl::Now() + kPatience)
                    .ok());
  }
  ExpectSameViews(views, rebuilt);
  const auto stored = Stored(store_, "project_view");
  const auto expected = Stored(fresh_store, "project_view");
  EXPECT_TRUE(stored == expected) << DifferingKeys(stored, expected);
}

TEST_F(ProjectionEngineTest, AQuietTailIsStoredOnceTheIntervalEnds) {
  ProjectViewProjection views;
  auto engine = ProjectionEngine::Start(
      &log_, &store_, {&views}, {.commit_interval = absl::Milliseconds(50)});
  ASSERT_TRUE(engine.ok());
  // Two appends in quick succession: the second folds within the interval
  // of the first's commit, and only the quiet-tail commit can store it.
  Append(GenerateProgrammeHistory({.seed = 14, .projects = 1}));
  ASSERT_TRUE(CatchUp(**engine).ok());
  Append(GenerateProgrammeHistory({.seed = 15, .projects = 1}));
  ASSERT_TRUE(CatchUp(**engine).ok());
  EXPECT_TRUE(StoredUpTo(store_, {"project_view"}, log_.HeadPosition()));
  EXPECT_TRUE((*engine)->LastError().ok()) << (*engine)->LastError();
}

TEST_F(ProjectionEngineTest, WaitUntilBeyondTheHeadIsDeadlineExceeded) {
  ProjectViewProjection views;
  auto engine = StartEngine(&views);
  const absl::Status status = engine->WaitUntil(
      log_.HeadPosition() + 1, absl::Now() + absl::Milliseconds(50));
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
}

TEST_F(ProjectionEngineTest, WaitUntilWakesWhenTheEventArrives) {
  ProjectViewProjection views;
  auto engine = StartEngine(&views);
  std::thread writer([this] {
    absl::SleepFor(absl::Milliseconds(20));
    Append(GenerateProgrammeHistory({.seed = 11, .projects = 1}));
  });
  EXPECT_TRUE(engine->WaitUntil(1, absl::Now() + kPatience).ok());
  writer.join();
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

// A commit that fails for one projection in the middle of the list, after
// the others have folded the batch: on the retry every projection must fold
// each event exactly once, on one thread and on two.
TEST_F(ProjectionEngineTest, AFailedCommitLeavesNoEventFoldedTwice) {
  Append(GenerateProgrammeHistory({.seed = 11,
                                   .projects = 80,
                                   .events_per_project = 40,
                                   .max_events_per_append = 4,
                                   .include_selection = true}));
  const uint64_t head = log_.HeadPosition();
  MemoryProjectionStore reference_store;
  auto reference = Catalog();
  {
    auto engine = ProjectionEngine::Start(&log_, &reference_store,
                                          Raw(reference), {.batch_size = 997});
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE((*engine)->WaitUntil(head, absl::Now() + kPatience).ok());
  }
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    FailingOnceStore store("funder_report", 2);
    auto projections = Catalog();
    auto engine =
        ProjectionEngine::Start(&log_, &store, Raw(projections),
                                {.batch_size = 997,
                                 .fold_threads = threads,
                                 .parallel_min_events = 1,
                                 .retry_delay = absl::Milliseconds(5)});
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE((*engine)->WaitUntil(head, absl::Now() + kPatience).ok());
    // The views reach the head before their last commit does; the retry
    // after the failed commit stores the rest.
    std::vector<std::string_view> names;
    for (const auto& projection : projections) {
      names.push_back(projection->name());
    }
    ASSERT_TRUE(StoredUpTo(store.store(), names, head));
    EXPECT_TRUE(store.failed());
    EXPECT_TRUE(LastErrorBecomes(**engine, true)) << (*engine)->LastError();
    for (const auto& projection : projections) {
      const auto stored = Stored(store.store(), projection->name());
      const auto expected = Stored(reference_store, projection->name());
      EXPECT_TRUE(stored == expected) << projection->name() << " differs at "
                                      << DifferingKeys(stored, expected);
    }
  }
}

}  // namespace
}  // namespace coopcraft::projections
