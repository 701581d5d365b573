// WorkerPool: fixed threads for work that may block (a command reads the
// log; a query may wait for a position), so gRPC's callback threads never
// block.
#ifndef COOPCRAFT_SERVICES_API_WORKER_POOL_H_
#define COOPCRAFT_SERVICES_API_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace coopcraft::api {

class WorkerPool {
 public:
  // Starts `threads` workers.
  explicit WorkerPool(size_t threads);
  // Runs every task already scheduled, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; thread-safe. Tasks scheduled after destruction began are
  // still run.
  void Schedule(absl::AnyInvocable<void()> task);
  // As Schedule, but `task` runs before the tasks already queued: for work
  // that has waited its turn elsewhere and holds something others wait for
  // (a command that was parked behind its stream and now holds it).
  void ScheduleFirst(absl::AnyInvocable<void()> task);

 private:
  void Work();

  absl::Mutex mutex_;
  std::deque<absl::AnyInvocable<void()>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_WORKER_POOL_H_
