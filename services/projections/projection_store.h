// ProjectionStore: where projections keep their state and checkpoint. A
// commit writes both in one atomic step, which is what makes a restart
// resume exactly where the stored state ends, without counting twice.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_STORE_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/projections/projection.h"

namespace coopcraft::projections {

// The last log position folded into a stored state, and the projection
// version that folded it.
struct Checkpoint {
  uint64_t position = 0;
  uint32_t version = 0;
};

// One projection's part of a commit.
struct ProjectionCommit {
  std::string_view projection;
  Checkpoint checkpoint;
  // Not owned; valid for the call.
  const std::vector<StateWrite>* writes = nullptr;
};

// Thread safety: every method may be called from any thread; commits of
// one projection are expected from one thread at a time.
class ProjectionStore {
 public:
  virtual ~ProjectionStore() = default;

  // Passes every stored key of `projection` to `visit` and returns its
  // checkpoint, nullopt when none is stored. A non-OK status from `visit`
  // stops and is returned; storage errors are returned as they come.
  virtual absl::StatusOr<std::optional<Checkpoint>> Load(
      std::string_view projection,
      absl::FunctionRef<absl::Status(std::string_view key,
                                     std::string_view value)>
          visit) const = 0;

  // Applies every part's writes and sets its checkpoint, all in one atomic
  // step: after a crash or an error either all of it or none of it is
  // stored. The engine commits all its projections at once, so a live
  // tail costs the shared database one write per batch, not one per
  // projection.
  virtual absl::Status CommitAll(
      const std::vector<ProjectionCommit>& commits) = 0;

  // CommitAll of one projection.
  absl::Status Commit(std::string_view projection, const Checkpoint& checkpoint,
                      const std::vector<StateWrite>& writes) {
    return CommitAll({{.projection = projection,
                       .checkpoint = checkpoint,
                       .writes = &writes}});
  }

  // Erases the state and checkpoint of `projection`, atomically.
  virtual absl::Status Reset(std::string_view projection) = 0;
};

// In process memory, for unit tests; nothing survives the object.
class MemoryProjectionStore final : public ProjectionStore {
 public:
  absl::StatusOr<std::optional<Checkpoint>> Load(
      std::string_view projection,
      absl::FunctionRef<absl::Status(std::string_view key,
                                     std::string_view value)>
          visit) const override;
  absl::Status CommitAll(const std::vector<ProjectionCommit>& commits) override;
  absl::Status Reset(std::string_view projection) override;

 private:
  struct Stored {
    std::optional<Checkpoint> checkpoint;
    std::map<std::string, std::string, std::less<>> state;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Stored, std::less<>> projections_ ABSL_GUARDED_BY(mu_);
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_STORE_H_
