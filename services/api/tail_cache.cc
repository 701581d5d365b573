// TailCache: fill from the log once per commit, serve every tail reader.
#include "services/api/tail_cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "services/api/event_batch_encoding.h"
#include "services/api/recorded_event.h"

namespace coopcraft::api {
namespace {

// The same rule as the log's ReadAll filter (storage/log_rules.h), applied
// to the client form.
bool Matches(const coopcraft::v1::RecordedEvent& event,
             const storage::ReadAllOptions& filter) {
  if (!absl::StartsWith(event.stream(), filter.stream_prefix)) return false;
  return filter.event_types.empty() ||
         std::find(filter.event_types.begin(), filter.event_types.end(),
                   event.type()) != filter.event_types.end();
}

}  // namespace

absl::Status TailCache::Fill(uint64_t head) {
  uint64_t next = first_position_ + events_.size();
  if (next > head) return absl::OkStatus();
  // Only the newest `capacity_` events are worth reading: older ones would
  // be evicted at once.
  if (head - next + 1 > capacity_) {
    events_.clear();
    next = first_position_ = head - capacity_ + 1;
  }
  absl::StatusOr<uint64_t> scanned =
      log_->ScanAll({.from_position = next,
                     .max_count = static_cast<size_t>(head - next + 1),
                     .max_scan = static_cast<size_t>(head - next + 1)},
                    [this](const coopcraft::v1::EventRecord& record) {
                      auto cached = std::make_shared<TailEvent>();
                      ToRecordedEvent(record, &cached->event);
                      cached->entry = EncodeBatchEntry(cached->event);
                      events_.push_back(std::move(cached));
                      return absl::OkStatus();
                    });
  if (!scanned.ok()) return scanned.status();
  while (events_.size() > capacity_) {
    events_.pop_front();
    ++first_position_;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TailRead>> TailCache::Read(
    uint64_t from, uint64_t head, const storage::ReadAllOptions& filter) {
  if (capacity_ == 0) return std::nullopt;
  absl::MutexLock lock(&mutex_);
  const uint64_t cached_end = first_position_ + events_.size();
  if (from < first_position_) return std::nullopt;
  if (from > cached_end) {
    // A subscriber ahead of the cache (from the end, after a quiet spell):
    // restart the ring where the readers are.
    events_.clear();
    first_position_ = from;
  }
  if (absl::Status filled = Fill(head); !filled.ok()) return filled;
  if (from < first_position_) return std::nullopt;

  TailRead read;
  uint64_t position = from;
  const uint64_t end = std::min(head + 1, first_position_ + events_.size());
  size_t scanned = 0;
  size_t bytes = 0;
  while (position < end && scanned < filter.max_scan &&
         read.events.size() < filter.max_count &&
         (filter.max_bytes == 0 || bytes < filter.max_bytes)) {
    const auto& cached = events_[position - first_position_];
    if (Matches(cached->event, filter)) {
      read.events.push_back(cached);
      bytes += cached->entry.size();
    }
    ++position;
    ++scanned;
  }
  read.next_position = position;
  return read;
}

}  // namespace coopcraft::api
