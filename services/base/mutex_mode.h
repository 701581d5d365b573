// TurnOffMutexDeadlockDetection: for coopcraftd and the benchmarks.
#ifndef COOPCRAFT_SERVICES_BASE_MUTEX_MODE_H_
#define COOPCRAFT_SERVICES_BASE_MUTEX_MODE_H_

#include "absl/synchronization/mutex.h"

namespace coopcraft {

// Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock
// detector on: every acquisition then updates a process-wide lock graph
// under one spin lock, which triples the cost of an uncontended lock and
// makes every thread of the process queue on that spin lock. Production
// binaries and benchmarks call this first thing in main; tests keep the
// detector, where it catches lock-order inversions.
inline void TurnOffMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace coopcraft

#endif  // COOPCRAFT_SERVICES_BASE_MUTEX_MODE_H_
