// Replay: folds a fresh projection over a prefix of the log, in memory, to
// show an auditor what that view held at a past point, computed from the
// events alone and never from (or into) the live state.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_REPLAY_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_REPLAY_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/projections/projection.h"
#include "storage/event_log.h"

namespace coopcraft::projections {

// Where a replay stops: after the last event at or before both bounds.
struct ReplayBound {
  uint64_t max_position = UINT64_MAX;
  absl::Time max_recorded_at = absl::InfiniteFuture();
};

// The state a replay reached.
struct ReplayedState {
  // The last position folded; 0 when no event was within the bound.
  uint64_t position = 0;
  // Events folded (every position from 1 to `position`).
  uint64_t events = 0;
  // The state's keys that start with the requested prefix, in key order;
  // every value is set.
  std::vector<StateWrite> entries;
};

// Clears `projection`, folds the log from position 1 up to `bound` (and at
// most the head at the call's start), and returns its state. The log's
// errors (DATA_LOSS for a corrupt record) are returned as they come.
// `cancelled`, when given, is asked before the first event and every 1,024
// events after; once it answers true the replay ends with CANCELLED, so a
// caller that went away does not keep a thread folding a long log.
absl::StatusOr<ReplayedState> Replay(
    const storage::EventLog& log, Projection& projection,
    const ReplayBound& bound, std::string_view key_prefix,
    const std::function<bool()>& cancelled = nullptr);

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_REPLAY_H_
