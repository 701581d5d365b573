// WorkerPool: fixed threads for work that blocks (a command waits for its
// group commit's fsync), so gRPC's callback threads never block.
#ifndef COOPCRAFT_SERVICES_API_WORKER_POOL_H_
#define COOPCRAFT_SERVICES_API_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace coopcraft::api {

class WorkerPool {
 public:
  // Starts `threads` workers. Many threads are intended: each blocked
  // command holds one while it waits for a shared fsync, and more waiting
  // commands make larger commit groups.
  explicit WorkerPool(size_t threads);
  // Runs every task already scheduled, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; thread-safe. Tasks scheduled after destruction began are
  // still run.
  void Schedule(std::function<void()> task);

 private:
  void Work();

  absl::Mutex mutex_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_WORKER_POOL_H_
