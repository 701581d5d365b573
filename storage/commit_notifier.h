// CommitNotifier: the head position of a log and everyone waiting on it
// (WaitForPosition callers and tail listeners). Shared by every EventLog
// implementation.
#ifndef COOPCRAFT_STORAGE_COMMIT_NOTIFIER_H_
#define COOPCRAFT_STORAGE_COMMIT_NOTIFIER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/event_log.h"

namespace coopcraft::storage {

// Thread safety: all methods may be called concurrently, except that
// Publish calls must not overlap (each log publishes from one committer at
// a time), which is what keeps listeners seeing heads in increasing order.
class CommitNotifier {
 public:
  explicit CommitNotifier(uint64_t head) : head_(head) {}
  // Every handle from AddListener must be reset or destroyed first.
  ~CommitNotifier() = default;
  CommitNotifier(const CommitNotifier&) = delete;
  CommitNotifier& operator=(const CommitNotifier&) = delete;

  // Lock-free; the acquire load makes everything written before the
  // matching Publish visible to the caller.
  uint64_t head() const { return head_.load(std::memory_order_acquire); }

  // Sets the head, wakes waiters, then calls each listener with `head` on
  // this thread. `head` must not decrease.
  void Publish(uint64_t head);

  // See EventLog::WaitForPosition.
  absl::Status WaitFor(uint64_t position, absl::Time deadline) const;

  // See EventLog::AddTailListener. A listener must not add or remove
  // listeners (it runs under the registry lock); the handle must not
  // outlive this notifier.
  TailListenerHandle AddListener(std::function<void(uint64_t)> listener);

 private:
  std::atomic<uint64_t> head_;

  mutable absl::Mutex wait_mu_;
  mutable absl::CondVar advanced_;

  absl::Mutex listeners_mu_;
  // Ordered by registration so listeners run in a predictable order.
  std::map<uint64_t, std::function<void(uint64_t)>> listeners_
      ABSL_GUARDED_BY(listeners_mu_);
  uint64_t next_listener_id_ ABSL_GUARDED_BY(listeners_mu_) = 0;
};

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_COMMIT_NOTIFIER_H_
