// In-memory EventLog; see memory_event_log.h.
#include "storage/memory_event_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/log_rules.h"
#include "storage/record_hash.h"

namespace coopcraft::storage {

using ::coopcraft::v1::EventRecord;

MemoryEventLog::MemoryEventLog(EventLogLimits limits) : limits_(limits) {}

MemoryEventLog::~MemoryEventLog() = default;

absl::StatusOr<AppendResult> MemoryEventLog::Append(
    std::string_view stream, const ExpectedRevision& expected,
    std::vector<NewEvent> events) {
  ASSIGN_OR_RETURN(CheckedAppend checked, CheckAppend(stream, events, limits_));
  absl::MutexLock commit_lock(&commit_mu_);
  AppendResult result;
  {
    absl::MutexLock lock(&mu_);
    std::vector<std::optional<StoredEvent>> stored(checked.ids.size());
    for (size_t i = 0; i < checked.ids.size(); ++i) {
      auto it = positions_by_id_.find(checked.ids[i]);
      if (it == positions_by_id_.end()) continue;
      const EventRecord& record = records_[it->second - 1];
      stored[i] = StoredEvent{.position = record.position(),
                              .stream = record.stream(),
                              .revision = record.revision()};
    }
    ASSIGN_OR_RETURN(std::optional<AppendResult> retry,
                     ResolveRetry(stream, checked.ids, stored));
    if (retry.has_value()) return *retry;

    auto stream_it = streams_.find(ToAbsl(stream));
    std::optional<uint64_t> current;
    if (stream_it != streams_.end()) current = stream_it->second.size() - 1;
    RETURN_IF_ERROR(CheckExpectedRevision(stream, expected, current));

    if (stream_it == streams_.end()) {
      stream_it =
          streams_.emplace(std::string(stream), std::vector<uint64_t>()).first;
    }
    std::vector<uint64_t>& stream_positions = stream_it->second;
    last_recorded_at_micros_ =
        std::max(last_recorded_at_micros_, absl::ToUnixMicros(absl::Now()));
    result.first_position = records_.size() + 1;
    for (size_t i = 0; i < events.size(); ++i) {
      uint64_t position = records_.size() + 1;
      EventRecord record =
          MakeRecord(position, stream, stream_positions.size(), checked.ids[i],
                     std::move(events[i]), last_recorded_at_micros_);
      SealRecord(records_.empty() ? ZeroHash() : records_.back().hash(),
                 &record);
      records_.push_back(std::move(record));
      stream_positions.push_back(position);
      positions_by_id_.emplace(checked.ids[i], position);
    }
    result.last_position = records_.size();
    result.next_revision = stream_positions.size();
  }
  notifier_.Publish(result.last_position);
  return result;
}

absl::StatusOr<std::vector<EventRecord>> MemoryEventLog::ReadStream(
    std::string_view stream, uint64_t from_revision, Direction direction,
    size_t max_count, size_t max_bytes) const {
  RETURN_IF_ERROR(CheckReadStream(stream, max_count, limits_));
  uint64_t head = notifier_.head();
  std::vector<EventRecord> events;
  absl::ReaderMutexLock lock(&mu_);
  auto it = streams_.find(ToAbsl(stream));
  if (it == streams_.end()) return events;
  const std::vector<uint64_t>& positions = it->second;
  // Revisions whose position is past the published head are not visible yet.
  uint64_t visible =
      std::upper_bound(positions.begin(), positions.end(), head) -
      positions.begin();
  if (visible == 0) return events;
  ByteBound bound(max_bytes);
  if (direction == Direction::kForwards) {
    for (uint64_t r = from_revision;
         r < visible && events.size() < max_count && !bound.reached(); ++r) {
      bound.Add(events.emplace_back(records_[positions[r] - 1]));
    }
  } else {
    for (uint64_t r = std::min(from_revision, visible - 1) + 1;
         r > 0 && events.size() < max_count && !bound.reached(); --r) {
      bound.Add(events.emplace_back(records_[positions[r - 1] - 1]));
    }
  }
  return events;
}

absl::StatusOr<ReadAllResult> MemoryEventLog::ReadAll(
    const ReadAllOptions& options) const {
  ReadAllResult result;
  ASSIGN_OR_RETURN(result.next_position,
                   ScanAll(options, [&result](const EventRecord& record) {
                     result.events.push_back(record);
                     return absl::OkStatus();
                   }));
  return result;
}

absl::StatusOr<uint64_t> MemoryEventLog::ScanAll(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(const EventRecord&)> visit) const {
  RETURN_IF_ERROR(CheckReadAllOptions(options));
  // Records gathered per lock hold.
  constexpr size_t kChunk = 256;
  const uint64_t head = notifier_.head();
  uint64_t position = options.from_position;
  auto may_scan = [&] {
    return position <= head &&
           position - options.from_position < options.max_scan;
  };
  size_t matched = 0;
  ByteBound bytes(options.max_bytes);
  auto page_full = [&](size_t in_chunk) {
    return matched + in_chunk >= options.max_count || bytes.reached();
  };
  std::vector<const EventRecord*> chunk;
  chunk.reserve(kChunk);
  while (may_scan() && !page_full(0)) {
    chunk.clear();
    {
      absl::ReaderMutexLock lock(&mu_);
      for (; may_scan() && !page_full(chunk.size()) && chunk.size() < kChunk;
           ++position) {
        const EventRecord& record = records_[position - 1];
        if (!MatchesReadAllFilter(record, options)) continue;
        chunk.push_back(&record);
        bytes.Add(record);
      }
    }
    for (const EventRecord* record : chunk) {
      RETURN_IF_ERROR(visit(*record));
    }
    matched += chunk.size();
  }
  return position;
}

absl::StatusOr<EventRecord> MemoryEventLog::ReadEvent(
    std::string_view event_id) const {
  ASSIGN_OR_RETURN(EventIdBytes id, ParseEventId(event_id));
  uint64_t head = notifier_.head();
  absl::ReaderMutexLock lock(&mu_);
  auto it = positions_by_id_.find(id);
  if (it == positions_by_id_.end() || it->second > head) {
    return absl::NotFoundError(
        absl::StrCat("no event with id ", FormatEventId(id)));
  }
  return records_[it->second - 1];
}

absl::StatusOr<std::optional<uint64_t>> MemoryEventLog::StreamRevision(
    std::string_view stream) const {
  RETURN_IF_ERROR(ValidateStreamId(stream, limits_));
  absl::ReaderMutexLock lock(&mu_);
  auto it = streams_.find(ToAbsl(stream));
  if (it == streams_.end()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(it->second.size() - 1);
}

uint64_t MemoryEventLog::HeadPosition() const { return notifier_.head(); }

absl::Status MemoryEventLog::WaitForPosition(uint64_t position,
                                             absl::Time deadline) const {
  return notifier_.WaitFor(position, deadline);
}

TailListenerHandle MemoryEventLog::AddTailListener(
    std::function<void(uint64_t head)> listener) {
  return notifier_.AddListener(std::move(listener));
}

absl::StatusOr<ChainVerification> MemoryEventLog::VerifyChain(
    uint64_t from, uint64_t to, const std::function<bool()>& cancelled) const {
  ASSIGN_OR_RETURN(to, VerifyRangeEnd(from, to, notifier_.head()));
  ChainVerification verification;
  if (from > to) return verification;
  absl::ReaderMutexLock lock(&mu_);
  std::string_view prev_hash =
      from == 1 ? ZeroHash() : std::string_view(records_[from - 2].hash());
  for (uint64_t position = from; position <= to; ++position) {
    if (cancelled && (position - from) % kVerifyChainCancelCheck == 0 &&
        cancelled()) {
      return absl::CancelledError(absl::StrCat(
          "the chain verification was cancelled at position ", position));
    }
    const EventRecord& record = records_[position - 1];
    if (auto problem = ChainLinkProblem(record, position, prev_hash)) {
      verification.first_bad_position = position;
      verification.problem = *std::move(problem);
      break;
    }
    prev_hash = record.hash();
    ++verification.verified_count;
  }
  if (verification.verified_count > 0) {
    verification.head_position = from + verification.verified_count - 1;
    verification.head_hash = std::string(prev_hash);
  }
  return verification;
}

}  // namespace coopcraft::storage
