// What a projection store holds, and waits on it and on the engine's
// error, for the engine tests: the engine stores on its own thread, after
// it published the position, so a test waits for what it checks.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_STORED_STATE_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_STORED_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/projections/projection_engine.h"
#include "services/projections/projection_store.h"

namespace coopcraft::projections::testing {

// How long a test waits for the engine before it fails; far beyond what a
// sanitized build on a loaded machine needs.
inline constexpr absl::Duration kPatience = absl::Seconds(30);

// Key -> stored value of one projection, with its checkpoint under "@".
inline std::map<std::string, std::string> Stored(const ProjectionStore& store,
                                                 std::string_view projection) {
  std::map<std::string, std::string> state;
  auto checkpoint = store.Load(
      projection, [&state](std::string_view key, std::string_view value) {
        state[std::string(key)] = std::string(value);
        return absl::OkStatus();
      });
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  if (checkpoint.ok() && checkpoint->has_value()) {
    state["@"] = std::to_string((*checkpoint)->position);
  }
  return state;
}

// The position stored as `projection`'s checkpoint; 0 when none is.
inline uint64_t StoredCheckpoint(const ProjectionStore& store,
                                 std::string_view projection) {
  auto checkpoint = store.Load(
      projection,
      [](std::string_view, std::string_view) { return absl::OkStatus(); });
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  return checkpoint.ok() && checkpoint->has_value() ? (*checkpoint)->position
                                                    : 0;
}

// Waits until every projection's stored checkpoint is `position`.
inline bool StoredUpTo(const ProjectionStore& store,
                       const std::vector<std::string_view>& projections,
                       uint64_t position) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (true) {
    bool all = true;
    for (std::string_view projection : projections) {
      all = all && StoredCheckpoint(store, projection) == position;
    }
    if (all) return true;
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
}

// Waits until `engine` reports OK (or not OK, when `ok` is false). The
// engine clears a commit's error just after the store took the commit, so
// a test that saw the changes stored may still see the error for a moment.
inline bool LastErrorBecomes(const ProjectionEngine& engine, bool ok) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (engine.LastError().ok() != ok) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace coopcraft::projections::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_STORED_STATE_H_
