// RocksDbEventLog's reads and the hash-chain verification.
#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/log_rules.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_event_log.h"
#include "storage/rocksdb_log_io.h"

namespace coopcraft::storage {
namespace {

// Keys per MultiGet in ReadStream, bounding temporary memory.
constexpr size_t kMultiGetChunk = 256;
// The first chunk of a byte-bounded ReadStream.
constexpr size_t kFirstBoundedChunk = 16;

}  // namespace

using ::coopcraft::v1::EventRecord;

absl::StatusOr<EventRecord> RocksDbEventLog::ReadRecord(
    uint64_t position) const {
  rocksdb::PinnableSlice value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), log_cf_,
                                    EncodeBigEndian64(position), &value);
  if (status.IsNotFound()) return MissingRecord(position);
  RETURN_IF_ERROR(FromRocksDb(
      status, absl::StrCat("reading event log position ", position)));
  EventRecord record;
  RETURN_IF_ERROR(ParseStoredRecord(value, position, &record));
  return record;
}

absl::StatusOr<std::vector<EventRecord>> RocksDbEventLog::ReadStream(
    std::string_view stream, uint64_t from_revision, Direction direction,
    size_t max_count, size_t max_bytes) const {
  RETURN_IF_ERROR(CheckReadStream(stream, max_count, limits_));
  const uint64_t head = notifier_.head();
  std::vector<EventRecord> events;
  ASSIGN_OR_RETURN(std::optional<uint64_t> last_revision,
                   StreamRevision(stream));
  if (!last_revision.has_value()) return events;

  // Revisions are gap-free up to the stream head, so the keys to read are
  // known in advance and each is a point lookup the bloom filter helps.
  // The stream head may count revisions past `head` (a commit synced but
  // not yet published, or landed since `head` was read); they are the
  // stream's newest, so backwards the page is filled from older revisions
  // and forwards it ends at the first of them.
  const bool forwards = direction == Direction::kForwards;
  uint64_t start =
      forwards ? from_revision : std::min(from_revision, *last_revision);
  if (forwards && start > *last_revision) return events;
  uint64_t available = forwards ? *last_revision - start + 1 : start + 1;
  uint64_t count = std::min<uint64_t>(max_count, available);
  events.reserve(count);

  std::vector<std::string> keys;
  std::vector<rocksdb::Slice> key_slices;
  std::vector<uint64_t> revisions;
  bool past_head = false;
  ByteBound bound(max_bytes);
  // With a byte bound, chunks start small and double, so a page of large
  // events does not read far more of them than it keeps.
  size_t chunk_limit = max_bytes == 0 ? kMultiGetChunk : kFirstBoundedChunk;
  for (uint64_t done = 0; !past_head && !bound.reached() &&
                          events.size() < count && done < available;) {
    size_t chunk = std::min<uint64_t>(
        {chunk_limit, count - events.size(), available - done});
    chunk_limit = std::min(2 * chunk_limit, kMultiGetChunk);
    keys.clear();
    revisions.clear();
    for (size_t i = 0; i < chunk; ++i) {
      uint64_t revision = forwards ? start + done + i : start - done - i;
      revisions.push_back(revision);
      keys.push_back(StreamRevisionKey(stream, revision));
    }
    done += chunk;
    key_slices.assign(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(chunk);
    std::vector<rocksdb::Status> statuses(chunk);
    db_->MultiGet(rocksdb::ReadOptions(), streams_cf_, chunk, key_slices.data(),
                  values.data(), statuses.data());

    // Turn the index entries into log keys, skipping revisions of a commit
    // that is synced but not yet published.
    keys.clear();
    std::vector<uint64_t> positions;
    std::vector<uint64_t> kept_revisions;
    for (size_t i = 0; i < chunk; ++i) {
      if (statuses[i].IsNotFound()) {
        return absl::DataLossError(absl::StrCat(
            "stream ", ToAbsl(stream), " has no index entry for revision ",
            revisions[i], " below its head ", *last_revision));
      }
      RETURN_IF_ERROR(FromRocksDb(statuses[i], "reading the stream index"));
      ASSIGN_OR_RETURN(uint64_t position,
                       DecodePosition(values[i], "stream index value"));
      if (position > head) {
        // The revisions after this one are later still.
        if (forwards) {
          past_head = true;
          break;
        }
        continue;
      }
      positions.push_back(position);
      kept_revisions.push_back(revisions[i]);
      keys.push_back(EncodeBigEndian64(position));
    }
    key_slices.assign(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> records(keys.size());
    std::vector<rocksdb::Status> record_statuses(keys.size());
    db_->MultiGet(rocksdb::ReadOptions(), log_cf_, keys.size(),
                  key_slices.data(), records.data(), record_statuses.data());
    for (size_t i = 0; i < keys.size() && !bound.reached(); ++i) {
      if (record_statuses[i].IsNotFound()) return MissingRecord(positions[i]);
      RETURN_IF_ERROR(FromRocksDb(record_statuses[i], "reading the log"));
      EventRecord& record = events.emplace_back();
      RETURN_IF_ERROR(ParseStoredRecord(records[i], positions[i], &record));
      if (record.stream() != stream || record.revision() != kept_revisions[i]) {
        return absl::DataLossError(
            absl::StrCat("index entry of stream ", ToAbsl(stream), " revision ",
                         kept_revisions[i], " points at position ",
                         positions[i], ", which holds another event"));
      }
      bound.Add(record);
    }
  }
  return events;
}

absl::StatusOr<uint64_t> RocksDbEventLog::ScanLog(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(EventRecord&)> on_match) const {
  RETURN_IF_ERROR(CheckReadAllOptions(options));
  const uint64_t head = notifier_.head();
  if (options.from_position > head) return options.from_position;
  const uint64_t last = head - options.from_position < options.max_scan
                            ? head
                            : options.from_position + options.max_scan - 1;

  LogRange range(db_.get(), log_cf_, options.from_position, last);
  uint64_t expected = options.from_position;
  size_t matched = 0;
  ByteBound bytes(options.max_bytes);
  // The page filled up (by count or bytes) before the scan's last position.
  bool full = false;
  // One message for the whole scan: parsing into it again reuses its
  // string buffers unless on_match took them.
  EventRecord record;
  for (; range->Valid(); range->Next()) {
    ASSIGN_OR_RETURN(uint64_t position,
                     DecodePosition(range->key(), "log key"));
    if (position != expected) return MissingRecord(expected);
    ++expected;
    RETURN_IF_ERROR(ParseStoredRecord(range->value(), position, &record));
    if (!MatchesReadAllFilter(record, options)) continue;
    // Measured before on_match, which may take the record's buffers.
    bytes.Add(record);
    RETURN_IF_ERROR(on_match(record));
    full = ++matched == options.max_count || bytes.reached();
    if (full) break;
  }
  RETURN_IF_ERROR(FromRocksDb(range->status(), "scanning the event log"));
  if (!full && expected != last + 1) {
    return MissingRecord(expected);
  }
  return expected;
}

absl::StatusOr<ReadAllResult> RocksDbEventLog::ReadAll(
    const ReadAllOptions& options) const {
  ReadAllResult result;
  const uint64_t head = notifier_.head();
  if (options.from_position >= 1 && options.from_position <= head) {
    result.events.reserve(
        std::min<uint64_t>({options.max_count, options.max_scan,
                            head - options.from_position + 1}));
  }
  ASSIGN_OR_RETURN(result.next_position,
                   ScanLog(options, [&result](EventRecord& record) {
                     result.events.push_back(std::move(record));
                     return absl::OkStatus();
                   }));
  return result;
}

absl::StatusOr<uint64_t> RocksDbEventLog::ScanAll(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(const EventRecord&)> visit) const {
  return ScanLog(options,
                 [&visit](EventRecord& record) { return visit(record); });
}

absl::StatusOr<EventRecord> RocksDbEventLog::ReadEvent(
    std::string_view event_id) const {
  ASSIGN_OR_RETURN(EventIdBytes id, ParseEventId(event_id));
  const uint64_t head = notifier_.head();
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ids_cf_, ToSlice(IdKey(id)), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("no event with id ", FormatEventId(id)));
  }
  RETURN_IF_ERROR(FromRocksDb(status, "looking up an event id"));
  ASSIGN_OR_RETURN(uint64_t position, DecodePosition(value, "event_ids value"));
  if (position > head) {
    return absl::NotFoundError(
        absl::StrCat("no event with id ", FormatEventId(id)));
  }
  return ReadRecord(position);
}

absl::StatusOr<std::optional<uint64_t>> RocksDbEventLog::StreamRevision(
    std::string_view stream) const {
  RETURN_IF_ERROR(ValidateStreamId(stream, limits_));
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), heads_cf_, ToSlice(stream), &value);
  if (status.IsNotFound()) return std::optional<uint64_t>();
  RETURN_IF_ERROR(FromRocksDb(status, "reading a stream head"));
  ASSIGN_OR_RETURN(uint64_t revision,
                   DecodePosition(value, "stream_heads value"));
  return std::optional<uint64_t>(revision);
}

absl::StatusOr<ChainVerification> RocksDbEventLog::VerifyChain(
    uint64_t from, uint64_t to, const std::function<bool()>& cancelled) const {
  ASSIGN_OR_RETURN(to, VerifyRangeEnd(from, to, notifier_.head()));
  ChainVerification verification;
  if (from > to) return verification;
  // The chain is anchored on the stored hash of the record before `from`;
  // once a record is found good it holds that record's hash.
  std::string prev_hash(ZeroHash());
  // Whether the range ends or breaks, its head is the last good record.
  auto finish = [&verification, &prev_hash, from] {
    if (verification.verified_count > 0) {
      verification.head_position = from + verification.verified_count - 1;
      verification.head_hash = std::move(prev_hash);
    }
    return std::move(verification);
  };
  auto bad = [&verification, &finish](uint64_t position, std::string problem) {
    verification.first_bad_position = position;
    verification.problem = std::move(problem);
    return finish();
  };

  if (from > 1) {
    absl::StatusOr<EventRecord> previous = ReadRecord(from - 1);
    if (absl::IsDataLoss(previous.status())) {
      return bad(from - 1, std::string(previous.status().message()));
    }
    RETURN_IF_ERROR(previous.status());
    prev_hash = previous->hash();
  }
  LogRange range(db_.get(), log_cf_, from, to);
  uint64_t expected = from;
  EventRecord record;
  for (; range->Valid(); range->Next()) {
    if (cancelled && (expected - from) % kVerifyChainCancelCheck == 0 &&
        cancelled()) {
      return absl::CancelledError(absl::StrCat(
          "the chain verification was cancelled at position ", expected));
    }
    ASSIGN_OR_RETURN(uint64_t position,
                     DecodePosition(range->key(), "log key"));
    if (position != expected) return bad(expected, "record is missing");
    absl::Status decoded = ParseStoredRecord(range->value(), position, &record);
    if (!decoded.ok()) {
      // Bytes that still parse get the more telling chain diagnosis.
      rocksdb::Slice value = range->value();
      EventRecord loose;
      if (value.size() >= 4 &&
          loose.ParseFromArray(value.data(),
                               static_cast<int>(value.size() - 4))) {
        if (auto problem = ChainLinkProblem(loose, position, prev_hash)) {
          return bad(position, *std::move(problem));
        }
      }
      return bad(position, std::string(decoded.message()));
    }
    if (std::optional<std::string> problem =
            ChainLinkProblem(record, position, prev_hash)) {
      return bad(position, *std::move(problem));
    }
    prev_hash.swap(*record.mutable_hash());
    ++verification.verified_count;
    ++expected;
  }
  RETURN_IF_ERROR(FromRocksDb(range->status(), "scanning the event log"));
  if (expected != to + 1) return bad(expected, "record is missing");
  return finish();
}

}  // namespace coopcraft::storage
