// The rules of storage/event_log.h that do not depend on where events are
// kept: request validation, retry detection, expected-revision checks, record
// construction and ReadAll filtering. Every EventLog implementation calls
// these so that they cannot drift apart.
#ifndef COOPCRAFT_STORAGE_LOG_RULES_H_
#define COOPCRAFT_STORAGE_LOG_RULES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/event_record.pb.h"
#include "services/base/string_view.h"
#include "storage/event_id.h"
#include "storage/event_log.h"

namespace coopcraft::storage {

// Payload of an ABORTED Append status: the stream's current last revision
// in decimal, or "none" when the stream has no events. Read it with
// CurrentRevisionOf.
inline constexpr std::string_view kCurrentRevisionPayloadUrl =
    "coopcraft.dev/storage/current_revision";

// An Append request that passed every check of CheckAppend.
struct CheckedAppend {
  // One per event, in order: parsed from the request or freshly generated.
  std::vector<EventIdBytes> ids;
  // Sum of payload and serialized metadata sizes.
  size_t bytes = 0;
};

// Applies the INVALID_ARGUMENT rules of EventLog::Append (limits, stream id,
// types, ids, UTF-8 metadata, duplicate ids) and generates missing ids.
absl::StatusOr<CheckedAppend> CheckAppend(std::string_view stream,
                                          const std::vector<NewEvent>& events,
                                          const EventLogLimits& limits);

// Where an already stored event id lives.
struct StoredEvent {
  uint64_t position = 0;
  std::string stream;
  uint64_t revision = 0;
};

// Decides what an Append means given what its ids already point to
// (`stored[i]` for the i-th id, nullopt when not stored):
//  - nothing stored: nullopt, a new append;
//  - every id stored in `stream` at consecutive revisions and positions:
//    the original AppendResult, an idempotent retry;
//  - anything else: ALREADY_EXISTS naming the first offending id.
absl::StatusOr<std::optional<AppendResult>> ResolveRetry(
    std::string_view stream, const std::vector<EventIdBytes>& ids,
    const std::vector<std::optional<StoredEvent>>& stored);

// OK when `expected` holds for `stream` whose last revision is `current`
// (nullopt: the stream has no events); otherwise ABORTED carrying `current`
// for CurrentRevisionOf.
absl::Status CheckExpectedRevision(std::string_view stream,
                                   const ExpectedRevision& expected,
                                   std::optional<uint64_t> current);

// The record of `event` at `position`/`revision`, without hashes; consumes
// the event's payload.
coopcraft::v1::EventRecord MakeRecord(uint64_t position,
                                      std::string_view stream,
                                      uint64_t revision, const EventIdBytes& id,
                                      NewEvent&& event,
                                      int64_t recorded_at_micros);

// INVALID_ARGUMENT naming the field unless from_position >= 1 and
// max_count, max_scan >= 1.
absl::Status CheckReadAllOptions(const ReadAllOptions& options);

// True when `record` passes the stream prefix and type filters of `options`.
bool MatchesReadAllFilter(const coopcraft::v1::EventRecord& record,
                          const ReadAllOptions& options);

// The byte bound of a page (ReadStream's max_bytes, ReadAllOptions::
// max_bytes): reached once the records added weigh max_bytes or more; never
// with max_bytes 0.
class ByteBound {
 public:
  explicit ByteBound(size_t max_bytes) : max_bytes_(max_bytes) {}
  void Add(const coopcraft::v1::EventRecord& record) {
    if (max_bytes_ != 0) bytes_ += record.ByteSizeLong();
  }
  bool reached() const { return max_bytes_ != 0 && bytes_ >= max_bytes_; }

 private:
  const size_t max_bytes_;
  size_t bytes_ = 0;
};

// INVALID_ARGUMENT unless `stream` is valid and max_count >= 1.
absl::Status CheckReadStream(std::string_view stream, size_t max_count,
                             const EventLogLimits& limits);

// The last position VerifyChain(from, to) checks on a log whose head is
// `head`: min(to, head). INVALID_ARGUMENT when `from` is 0.
absl::StatusOr<uint64_t> VerifyRangeEnd(uint64_t from, uint64_t to,
                                        uint64_t head);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_LOG_RULES_H_
