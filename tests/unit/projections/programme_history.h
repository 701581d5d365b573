// A seeded generator of plausible programme histories (project streams
// with every kind of project event, interleaved across projects), for the
// rebuild-equivalence, restart and benchmark runs of the projections.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROGRAMME_HISTORY_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROGRAMME_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/event_log.h"

namespace coopcraft::testing {

struct HistoryOptions {
  uint64_t seed = 1;
  size_t projects = 100;
  // Events after ProjectOpened, per project, on average.
  size_t events_per_project = 50;
  // Consecutive events of one project appended in one call, at most.
  size_t max_events_per_append = 1;
};

// One Append call's worth of events.
struct HistoryAppend {
  std::string stream;
  std::vector<storage::NewEvent> events;
};

// The same options always give the same appends, in the same order.
std::vector<HistoryAppend> GenerateProgrammeHistory(
    const HistoryOptions& options);

// Appends `history` in order to `log` (ExpectedRevision::Any).
absl::Status AppendHistory(storage::EventLog& log,
                           std::vector<HistoryAppend> history);

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROGRAMME_HISTORY_H_
