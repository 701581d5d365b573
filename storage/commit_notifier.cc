// Head publication, position waits and tail listeners.
#include "storage/commit_notifier.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace coopcraft::storage {

void CommitNotifier::Publish(uint64_t head) {
  {
    // Storing under wait_mu_ means a waiter cannot check the old head and
    // then miss this wake-up.
    absl::MutexLock lock(&wait_mu_);
    head_.store(head, std::memory_order_release);
    advanced_.SignalAll();
  }
  absl::MutexLock lock(&listeners_mu_);
  for (auto& [id, listener] : listeners_) listener(head);
}

absl::Status CommitNotifier::WaitFor(uint64_t position,
                                     absl::Time deadline) const {
  if (head() >= position) return absl::OkStatus();
  absl::MutexLock lock(&wait_mu_);
  while (head() < position) {
    if (advanced_.WaitWithDeadline(&wait_mu_, deadline) && head() < position) {
      return absl::DeadlineExceededError(absl::StrCat(
          "event log head is ", head(), ", waited for position ", position));
    }
  }
  return absl::OkStatus();
}

TailListenerHandle CommitNotifier::AddListener(
    std::function<void(uint64_t)> listener) {
  absl::MutexLock lock(&listeners_mu_);
  uint64_t id = next_listener_id_++;
  listeners_.emplace(id, std::move(listener));
  return TailListenerHandle([this, id] {
    absl::MutexLock lock(&listeners_mu_);
    listeners_.erase(id);
  });
}

}  // namespace coopcraft::storage
