// Subscriptions to the event log: each subscriber remembers only the next
// position it will read and re-reads from the log, so a slow subscriber is
// served from disk, is never buffered without bound and never slows appends.
#ifndef COOPCRAFT_SERVICES_API_SUBSCRIPTION_H_
#define COOPCRAFT_SERVICES_API_SUBSCRIPTION_H_

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coopcraft/v1/event_stream_service.pb.h"
#include "services/api/personal_data_view.h"
#include "services/api/tail_cache.h"
#include "services/auth/guard.h"
#include "services/auth/principal.h"
#include "storage/event_log.h"

namespace coopcraft::api {

struct SubscriptionOptions {
  // More concurrent subscribers are refused with RESOURCE_EXHAUSTED.
  size_t max_subscribers = 100;
  // Threads that read the log for subscribers. Reads never run on gRPC
  // reaction threads nor on the committing thread.
  size_t reader_threads = 2;
  // Events per delivered batch (one ReadAll each).
  size_t batch_events = 256;
  // Events scanned per ReadAll, so a filter that matches nothing still
  // yields the thread promptly.
  size_t scan_per_read = 4096;
  // A checkpoint follows at least every this many scanned events...
  uint64_t checkpoint_events = 4096;
  // ...or this long, whichever comes first, when the position moved.
  absl::Duration checkpoint_interval = absl::Seconds(1);
  // Recent events kept in memory, converted once, for the subscribers at
  // the tail (see TailCache). 0 turns the cache off.
  size_t tail_cache_events = 8192;
  // A heartbeat after this long without any message.
  absl::Duration heartbeat_interval = absl::Seconds(5);
};

class Subscription;

// Runs every subscription of one EventLog: one tail listener for all of
// them (so a commit costs one wake-up, not one per subscriber), a queue of
// subscriptions ready to read, and reader threads that serve it.
//
// Thread-safe. `log` must outlive the hub. Destroy the hub only after the
// gRPC server has shut down (every subscription has finished).
class SubscriptionHub {
 public:
  // `guard`, `personal_data` and `trail` (null: no trail) must outlive the
  // hub. `guard` admitted the callers; a subscription whose token is
  // revoked ends with UNAUTHENTICATED before its next message.
  SubscriptionHub(const auth::Guard* guard, storage::EventLog* log,
                  const SubscriptionOptions& options,
                  const PersonalDataView* personal_data,
                  privacy::AccessTrail* trail);
  ~SubscriptionHub();
  SubscriptionHub(const SubscriptionHub&) = delete;
  SubscriptionHub& operator=(const SubscriptionHub&) = delete;

  // Starts a subscription for `request` (already validated). The returned
  // reactor finishes at once with RESOURCE_EXHAUSTED past max_subscribers.
  // Personal fields are delivered decrypted only when `caller` may read
  // them, and each batch that does is written to the access trail first.
  // Messages are SubscribeResponses, written pre-encoded (see
  // event_batch_encoding.h).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Start(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::SubscribeRequest& request,
      const auth::Principal& caller);

  // Subscriptions currently served.
  size_t active() const;

 private:
  friend class Subscription;

  void OnCommit(uint64_t head);
  void ReaderLoop();
  // Queues `subscription` for a reader thread.
  void Ready(Subscription* subscription) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const auth::Guard* const guard_;
  storage::EventLog* const log_;
  const SubscriptionOptions options_;
  const PersonalDataView* const personal_data_;
  privacy::AccessTrail* const trail_;
  TailCache tail_;

  mutable absl::Mutex mutex_;
  // Latest head seen by the tail listener.
  uint64_t head_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t active_ ABSL_GUARDED_BY(mutex_) = 0;
  // Subscriptions waiting for a commit or a timer.
  std::vector<Subscription*> idle_ ABSL_GUARDED_BY(mutex_);
  // Subscriptions a reader thread should step.
  std::deque<Subscription*> ready_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;

  std::vector<std::thread> readers_;
  // Last member, so it is destroyed first: no commit calls OnCommit while
  // the members above are torn down.
  storage::TailListenerHandle tail_listener_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_SUBSCRIPTION_H_
