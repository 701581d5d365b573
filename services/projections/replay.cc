// Replay of one projection over a log prefix.
#include "services/projections/replay.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "services/base/string_view.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

// Events scanned per ScanAll call: large pages, so a replay of the whole
// log costs few iterator seeks.
constexpr size_t kPage = 65536;
// Events folded between two questions to `cancelled` (a few milliseconds).
constexpr uint64_t kCancelCheckEvents = 1024;

}  // namespace

absl::StatusOr<ReplayedState> Replay(const storage::EventLog& log,
                                     Projection& projection,
                                     const ReplayBound& bound,
                                     std::string_view key_prefix,
                                     const std::function<bool()>& cancelled) {
  projection.Clear();
  ReplayedState replayed;
  const uint64_t last = std::min(bound.max_position, log.HeadPosition());
  const int64_t max_micros = bound.max_recorded_at == absl::InfiniteFuture()
                                 ? INT64_MAX
                                 : absl::ToUnixMicros(bound.max_recorded_at);
  bool past_time_bound = false;
  DecodedEvent decoded;
  google::protobuf::Arena arena(DecodeArenaOptions());
  uint64_t next = 1;
  while (next <= last && !past_time_bound) {
    const size_t page =
        static_cast<size_t>(std::min<uint64_t>(kPage, last - next + 1));
    absl::StatusOr<uint64_t> scanned = log.ScanAll(
        {.from_position = next, .max_count = page, .max_scan = page},
        [&](const coopcraft::v1::EventRecord& record) {
          // Positions are committed in time order, so the first event past
          // the instant ends the replay; the rest of the page is skipped.
          if (past_time_bound || record.recorded_at_micros() > max_micros) {
            past_time_bound = true;
            return absl::OkStatus();
          }
          if (cancelled && replayed.events % kCancelCheckEvents == 0 &&
              cancelled()) {
            return absl::CancelledError("the replay was cancelled");
          }
          arena.Reset();
          decoded.Decode(record, arena);
          projection.Apply(decoded);
          replayed.position = record.position();
          ++replayed.events;
          return absl::OkStatus();
        });
    if (!scanned.ok()) return scanned.status();
    if (*scanned <= next) break;  // nothing more is readable
    next = *scanned;
  }

  std::vector<StateWrite> changes;
  projection.TakeChanges(&changes);
  for (StateWrite& change : changes) {
    if (change.value.has_value() &&
        absl::StartsWith(change.key, ToAbsl(key_prefix))) {
      replayed.entries.push_back(std::move(change));
    }
  }
  std::sort(
      replayed.entries.begin(), replayed.entries.end(),
      [](const StateWrite& a, const StateWrite& b) { return a.key < b.key; });
  // A key changed twice appears once in TakeChanges, but be strict about it.
  replayed.entries.erase(
      std::unique(replayed.entries.begin(), replayed.entries.end(),
                  [](const StateWrite& a, const StateWrite& b) {
                    return a.key == b.key;
                  }),
      replayed.entries.end());
  projection.Clear();
  return replayed;
}

}  // namespace coopcraft::projections
