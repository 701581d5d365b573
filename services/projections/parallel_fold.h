// FoldRange: folds a range of the log into a set of projections on several
// threads. The range is cut into chunks; each chunk is scanned and decoded
// once, by whichever thread is free, then every projection folds it in log
// order, while the threads share the projections out between them. This is
// how a rebuild or a catch-up uses both cores without decoding an event
// twice.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PARALLEL_FOLD_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PARALLEL_FOLD_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "services/projections/projection.h"
#include "storage/event_log.h"

namespace coopcraft::projections {

struct FoldTarget {
  Projection* projection = nullptr;
  // Events at or below this position are skipped: the projection already
  // holds them.
  uint64_t checkpoint = 0;
  // Receives the projection's TakeChanges once the whole range is folded
  // (nothing when the range was entirely at or below the checkpoint).
  std::vector<StateWrite>* changes = nullptr;
};

struct FoldRangeOptions {
  // Threads folding at once, the calling thread included (at least 1).
  int threads = 2;
  // Events per chunk: the unit of scanning, decoding and hand-over.
  size_t chunk_events = 1024;
};

// Folds positions [from, to] of `log` into every target. Each projection
// sees the events in log order; two threads never run one projection at
// once. Returns the log's error (DATA_LOSS for a corrupt or missing record)
// without waiting for the rest; the projections may then hold part of the
// range, so the caller restores them from their store.
absl::Status FoldRange(const storage::EventLog& log, uint64_t from, uint64_t to,
                       std::span<const FoldTarget> targets,
                       const FoldRangeOptions& options = {});

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PARALLEL_FOLD_H_
