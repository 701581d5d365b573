// FoldRange: folding on several threads in small chunks gives exactly the
// views one thread folding the whole range gives, skips what a projection
// already holds, and stops at a log error.
#include "services/projections/parallel_fold.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "services/projections/projection_catalog.h"
#include "storage/keys.h"
#include "storage/memory_event_log.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::projections {
namespace {

using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;

// Every projection of the catalog, with the changes each one hands over.
class Views {
 public:
  Views() {
    for (const std::string& name : ProjectionCatalog::Default().Names()) {
      projections_.push_back(*ProjectionCatalog::Default().Create(name));
    }
    changes_.resize(projections_.size());
  }

  std::vector<FoldTarget> Targets(uint64_t checkpoint = 0) {
    std::vector<FoldTarget> targets;
    for (size_t i = 0; i < projections_.size(); ++i) {
      targets.push_back({.projection = projections_[i].get(),
                         .checkpoint = checkpoint,
                         .changes = &changes_[i]});
    }
    return targets;
  }

  // name/key -> stored value, of every change handed over so far.
  std::map<std::string, std::string> State() const {
    std::map<std::string, std::string> state;
    for (size_t i = 0; i < projections_.size(); ++i) {
      for (const StateWrite& write : changes_[i]) {
        state[std::string(projections_[i]->name()) + "/" + write.key] =
            write.value.value_or("<erased>");
      }
    }
    return state;
  }

 private:
  std::vector<std::unique_ptr<Projection>> projections_;
  std::vector<std::vector<StateWrite>> changes_;
};

template <typename Log>
void Fill(Log& log) {
  ASSERT_TRUE(
      AppendHistory(log, GenerateProgrammeHistory({.seed = 7,
                                                   .projects = 60,
                                                   .events_per_project = 40,
                                                   .max_events_per_append = 4,
                                                   .include_selection = true}))
          .ok());
}

TEST(ParallelFoldTest, TwoThreadsInSmallChunksFoldWhatOneThreadFolds) {
  storage::MemoryEventLog log;
  Fill(log);
  const uint64_t head = log.HeadPosition();
  ASSERT_GT(head, 2000u);

  Views one_thread;
  ASSERT_TRUE(FoldRange(log, 1, head, one_thread.Targets(),
                        {.threads = 1, .chunk_events = head})
                  .ok());
  Views two_threads;
  // An odd chunk size, so chunks straddle appends and the last is short.
  ASSERT_TRUE(FoldRange(log, 1, head, two_threads.Targets(),
                        {.threads = 2, .chunk_events = 7})
                  .ok());

  const auto expected = one_thread.State();
  ASSERT_GT(expected.size(), 60u);
  EXPECT_EQ(two_threads.State(), expected);
}

TEST(ParallelFoldTest, EventsAtOrBelowTheCheckpointAreNotFoldedAgain) {
  storage::MemoryEventLog log;
  Fill(log);
  const uint64_t head = log.HeadPosition();
  const uint64_t middle = head / 2 + 3;

  Views whole;
  ASSERT_TRUE(FoldRange(log, 1, head, whole.Targets(), {.threads = 2}).ok());

  // Folded up to `middle` first, then handed the whole range again with
  // `middle` as checkpoint, as the engine does while others rebuild.
  Views resumed;
  ASSERT_TRUE(
      FoldRange(log, 1, middle, resumed.Targets(), {.threads = 2}).ok());
  ASSERT_TRUE(FoldRange(log, 1, head, resumed.Targets(middle),
                        {.threads = 2, .chunk_events = 100})
                  .ok());
  EXPECT_EQ(resumed.State(), whole.State());
}

TEST(ParallelFoldTest, AMissingRecordStopsTheFoldWithDataLoss) {
  coopcraft::testing::TempDir dir;
  auto log = storage::RocksDbEventLog::Open({.path = dir.path() + "/log"});
  ASSERT_TRUE(log.ok()) << log.status();
  Fill(**log);
  const uint64_t missing = (*log)->HeadPosition() - 10;
  ASSERT_TRUE((*log)
                  ->db()
                  ->Delete({}, (*log)->column_family(storage::kLogFamily),
                           storage::EncodeBigEndian64(missing))
                  .ok());

  Views views;
  absl::Status status =
      FoldRange(**log, 1, (*log)->HeadPosition(), views.Targets(),
                {.threads = 2, .chunk_events = 64});
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_NE(status.message().find(std::to_string(missing)), std::string::npos)
      << status;
}

TEST(ParallelFoldTest, AnEmptyRangeIsInvalid) {
  storage::MemoryEventLog log;
  Views views;
  EXPECT_TRUE(absl::IsInvalidArgument(FoldRange(log, 0, 5, views.Targets())));
  EXPECT_TRUE(absl::IsInvalidArgument(FoldRange(log, 6, 5, views.Targets())));
}

}  // namespace
}  // namespace coopcraft::projections
