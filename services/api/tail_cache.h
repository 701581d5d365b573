// TailCache: the most recent events of the log, already in their client
// form, shared by every subscription that reads at the tail. After a
// commit, the first subscriber to step reads the new events from the log
// once and encodes each once; the others take them from here instead of
// each reading, decoding, converting and encoding the same records again.
// A subscriber that falls behind the cache's first position reads from the
// log itself, so the cache is a bounded ring, never a per-subscriber
// buffer.
#ifndef COOPCRAFT_SERVICES_API_TAIL_CACHE_H_
#define COOPCRAFT_SERVICES_API_TAIL_CACHE_H_

#include <grpcpp/support/slice.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/event_stream_service.pb.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// One cached event: its client form, and that form already encoded as an
// entry of a subscription batch (EncodeBatchEntry) so that every subscriber
// it goes to as is writes the same bytes.
struct TailEvent {
  coopcraft::v1::RecordedEvent event;
  grpc::Slice entry;
};

// What one TailCache::Read found.
struct TailRead {
  // Matching events, in order; shared with the cache, never modified.
  std::vector<std::shared_ptr<const TailEvent>> events;
  // Where the next read starts (after every scanned event).
  uint64_t next_position = 0;
};

// Thread-safe. `log` must outlive the cache.
class TailCache {
 public:
  TailCache(const storage::EventLog* log, size_t capacity)
      : log_(log), capacity_(capacity) {}

  // The events of [from, head] matching `filter`'s stream prefix and
  // types, at most filter.max_count matches and filter.max_scan scanned,
  // served from memory. nullopt (with OK) when `from` is older than what
  // the cache holds: the caller reads the log itself. Errors of the log
  // (DATA_LOSS) are returned.
  absl::StatusOr<std::optional<TailRead>> Read(
      uint64_t from, uint64_t head, const storage::ReadAllOptions& filter);

 private:
  // Reads (last position, head] from the log into the ring.
  absl::Status Fill(uint64_t head) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const storage::EventLog* const log_;
  const size_t capacity_;

  absl::Mutex mutex_;
  // Consecutive positions: first_position_ .. first_position_ + size - 1.
  std::deque<std::shared_ptr<const TailEvent>> events_ ABSL_GUARDED_BY(mutex_);
  uint64_t first_position_ ABSL_GUARDED_BY(mutex_) = 1;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_TAIL_CACHE_H_
