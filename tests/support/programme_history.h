// A seeded generator of plausible programme histories (project streams
// with every kind of project event, interleaved across projects, and
// optionally the calls, applications and cohort meetings around them), for
// the rebuild-equivalence, restart and benchmark runs of the projections.
#ifndef COOPCRAFT_TESTS_SUPPORT_PROGRAMME_HISTORY_H_
#define COOPCRAFT_TESTS_SUPPORT_PROGRAMME_HISTORY_H_

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
  // Also the Selection and cohort streams around the projects: five calls,
  // each project's application selected (some from the waiting list),
  // about `projects / 2` more applications that end wait-listed, rejected,
  // withdrawn or pending, and weekly group meetings of each call's cohort.
  // Contract starts are then staggered over the year and exit outcomes
  // vary, for the reports. Off keeps the project-only histories unchanged.
  bool include_selection = false;
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

#endif  // COOPCRAFT_TESTS_SUPPORT_PROGRAMME_HISTORY_H_
