// Projection: a read model folded from the global log. The engine feeds it
// events in log order and persists the keys it changed together with its
// checkpoint, so the stored state always matches exactly one log prefix.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {

// One key of a projection's stored state: a new value, or nullopt to erase.
struct StateWrite {
  std::string key;
  std::optional<std::string> value;
};

// Threading: Clear, Restore, Apply and TakeChanges are called by one of
// the engine's threads at a time, never concurrently with each other. An
// implementation's query methods run on other threads, so it guards the
// state they read with its own lock.
class Projection {
 public:
  virtual ~Projection() = default;

  // Stable name; the key of its checkpoint and state in the store.
  virtual std::string_view name() const = 0;
  // Bump when Apply changes meaning: a stored state of another version is
  // discarded and rebuilt from position 1.
  virtual uint32_t version() const = 0;

  // Forgets all state and pending changes (before a rebuild).
  virtual void Clear() = 0;
  // Loads one stored key, as written by TakeChanges. DATA_LOSS when the
  // value does not parse (the engine then rebuilds from zero).
  virtual absl::Status Restore(std::string_view key,
                               std::string_view value) = 0;
  // Folds one event, decoded once by the caller for every projection.
  // Events of no interest are ignored; it cannot fail, because a view must
  // never stop at an event it cannot read.
  virtual void Apply(const DecodedEvent& event) = 0;
  // Appends the keys changed since the last call to `writes` and forgets
  // them.
  virtual void TakeChanges(std::vector<StateWrite>* writes) = 0;

  // Full name of the protobuf message stored under `key` (for example
  // "coopcraft.v1.ProjectView"), so an audit replay can hand the state to
  // any client as a typed google.protobuf.Any.
  virtual std::string_view StateType(std::string_view key) const = 0;
};

// Decodes `record` and folds it into `projection`: for callers that fold
// one projection and have no decode to share (tests, tools).
inline void ApplyRecord(const coopcraft::v1::EventRecord& record,
                        Projection& projection) {
  google::protobuf::Arena arena;
  DecodedEvent decoded;
  decoded.Decode(record, arena);
  projection.Apply(decoded);
}

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_H_
