// Reads against rebuilds: a read that ReadAtLeast let through sees a view
// that reached its position, even when a rebuild is requested meanwhile,
// and a read that comes while a rebuild clears the view waits for the view
// to reach its position again. This is what read-your-writes trusts.
#include <functional>
#include <optional>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/unit/projections/forwarding_project_view.h"
#include "tests/unit/projections/project_view_comparison.h"
#include "tests/unit/projections/stored_state.h"

namespace coopcraft::projections {
namespace {

using ::coopcraft::projections::testing::kPatience;
using ::coopcraft::projections::testing::Measure;
using ::coopcraft::projections::testing::Reflected;
using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;

// A project view whose Clear runs a hook the test sets once the engine has
// started (the Clear of Start's load runs none) before it empties.
class ObservedProjectView final : public testing::ForwardingProjectView {
 public:
  void OnClear(std::function<void()> hook) {
    absl::MutexLock lock(&mu_);
    hook_ = std::move(hook);
  }

  void Clear() override {
    std::function<void()> hook;
    {
      absl::MutexLock lock(&mu_);
      hook = hook_;
    }
    if (hook) hook();
    views.Clear();
  }

 private:
  absl::Mutex mu_;
  std::function<void()> hook_ ABSL_GUARDED_BY(mu_);
};

class ProjectionEngineReadsTest : public ::testing::Test {
 protected:
  // A log of several batches, so that a rebuild shows partial views.
  void SetUp() override {
    ASSERT_TRUE(AppendHistory(log_, GenerateProgrammeHistory(
                                        {.seed = 31, .projects = 12}))
                    .ok());
    auto engine = ProjectionEngine::Start(&log_, &store_, {&observed_},
                                          {.batch_size = 64});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    head_ = log_.HeadPosition();
    ASSERT_TRUE(engine_->WaitUntil(head_, absl::Now() + kPatience).ok());
    full_ = Measure(observed_.views);
  }

  storage::MemoryEventLog log_;
  MemoryProjectionStore store_;
  ObservedProjectView observed_;
  std::unique_ptr<ProjectionEngine> engine_;
  uint64_t head_ = 0;
  // What the view reflects at the head.
  Reflected full_;
};

TEST_F(ProjectionEngineReadsTest, ARebuildWaitsForAReadThatFoundItsPosition) {
  absl::Notification clear_started;
  observed_.OnClear([&clear_started] { clear_started.Notify(); });
  bool cleared_during_read = true;
  Reflected seen;
  std::optional<absl::Status> answered =
      engine_->ReadAtLeast(head_, [&]() -> absl::Status {
        EXPECT_TRUE(engine_->RequestRebuild("project_view").ok());
        // The idle engine takes the request at once: unguarded, its Clear
        // starts within microseconds. It must not start at all before
        // this read returns, however long the read waits for it.
        cleared_during_read =
            clear_started.WaitForNotificationWithTimeout(absl::Seconds(1));
        seen = Measure(observed_.views);
        return absl::OkStatus();
      });
  ASSERT_TRUE(answered.has_value());
  EXPECT_TRUE(answered->ok()) << *answered;
  EXPECT_FALSE(cleared_during_read);
  EXPECT_EQ(seen.projects, full_.projects);
  EXPECT_EQ(seen.newest, full_.newest);
  // The rebuild goes ahead once the read is done.
  clear_started.WaitForNotification();
  ASSERT_TRUE(engine_->WaitUntil(head_, absl::Now() + kPatience).ok());
  EXPECT_EQ(Measure(observed_.views).newest, full_.newest);
}

TEST_F(ProjectionEngineReadsTest, AReadDuringARebuildWaitsForItsPosition) {
  absl::Notification clear_started;
  absl::Notification let_clear;
  observed_.OnClear([&clear_started, &let_clear] {
    clear_started.Notify();
    let_clear.WaitForNotification();
  });
  ASSERT_TRUE(engine_->RequestRebuild("project_view").ok());
  clear_started.WaitForNotification();
  // The reset is under way and the rebuild folds 64 events a batch: every
  // read that gets through must see the whole log up to the head.
  int tries = 0;
  Reflected seen;
  std::optional<absl::Status> answered;
  auto read = [this, &seen] {
    seen = Measure(observed_.views);
    return absl::OkStatus();
  };
  std::thread reader([&] {
    const absl::Time give_up = absl::Now() + kPatience;
    while (!(answered = engine_->ReadAtLeast(head_, read)).has_value()) {
      ++tries;
      if (absl::Now() > give_up) return;
      engine_->WaitUntil(head_, give_up).IgnoreError();
    }
  });
  let_clear.Notify();
  reader.join();
  ASSERT_TRUE(answered.has_value()) << "not reached after " << tries;
  EXPECT_TRUE(answered->ok()) << *answered;
  EXPECT_EQ(seen.projects, full_.projects);
  EXPECT_EQ(seen.newest, full_.newest);
}

TEST_F(ProjectionEngineReadsTest, APositionNotReachedRunsNoRead) {
  bool ran = false;
  std::optional<absl::Status> answered =
      engine_->ReadAtLeast(head_ + 1, [&ran] {
        ran = true;
        return absl::OkStatus();
      });
  EXPECT_FALSE(answered.has_value());
  EXPECT_FALSE(ran);
  // The read's own status is what a reached position returns.
  answered = engine_->ReadAtLeast(
      head_, [] { return absl::NotFoundError("no such project"); });
  ASSERT_TRUE(answered.has_value());
  EXPECT_TRUE(absl::IsNotFound(*answered)) << *answered;
}

}  // namespace
}  // namespace coopcraft::projections
