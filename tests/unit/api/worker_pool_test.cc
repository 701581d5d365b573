// WorkerPool: queued tasks run in order, ScheduleFirst jumps the queue, and
// destruction runs what is still queued.
#include "services/api/worker_pool.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace coopcraft::api {
namespace {

// Names of the tasks that ran, in the order they ran.
class RunOrder {
 public:
  absl::AnyInvocable<void()> Task(std::string name) {
    return [this, name = std::move(name)] {
      absl::MutexLock lock(&mu_);
      names_.push_back(name);
    };
  }
  std::vector<std::string> names() {
    absl::MutexLock lock(&mu_);
    return names_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> names_ ABSL_GUARDED_BY(mu_);
};

TEST(WorkerPoolTest, ScheduleFirstRunsBeforeTheTasksAlreadyQueued) {
  RunOrder order;
  absl::Notification started, release;
  {
    WorkerPool pool(1);
    // Keeps the only worker busy while the queue fills.
    pool.Schedule([&] {
      started.Notify();
      release.WaitForNotification();
    });
    started.WaitForNotification();
    pool.Schedule(order.Task("queued-1"));
    pool.Schedule(order.Task("queued-2"));
    pool.ScheduleFirst(order.Task("first"));
    release.Notify();
  }
  EXPECT_EQ(order.names(),
            (std::vector<std::string>{"first", "queued-1", "queued-2"}));
}

TEST(WorkerPoolTest, DestructionRunsEveryQueuedTask) {
  RunOrder order;
  absl::Notification started, release;
  auto pool = std::make_unique<WorkerPool>(1);
  pool->Schedule([&] {
    started.Notify();
    release.WaitForNotification();
  });
  started.WaitForNotification();
  for (int i = 0; i < 3; ++i) pool->Schedule(order.Task(std::to_string(i)));
  release.Notify();
  pool.reset();
  EXPECT_EQ(order.names(), (std::vector<std::string>{"0", "1", "2"}));
}

}  // namespace
}  // namespace coopcraft::api
