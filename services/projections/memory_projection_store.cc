// MemoryProjectionStore: the ProjectionStore contract in a map.
#include "services/projections/projection_store.h"

namespace coopcraft::projections {

absl::StatusOr<std::optional<Checkpoint>> MemoryProjectionStore::Load(
    std::string_view projection,
    absl::FunctionRef<absl::Status(std::string_view key,
                                   std::string_view value)>
        visit) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = projections_.find(projection);
  if (it == projections_.end()) return std::nullopt;
  for (const auto& [key, value] : it->second.state) {
    if (absl::Status status = visit(key, value); !status.ok()) return status;
  }
  return it->second.checkpoint;
}

absl::Status MemoryProjectionStore::CommitAll(
    const std::vector<ProjectionCommit>& commits) {
  absl::MutexLock lock(&mu_);
  for (const ProjectionCommit& commit : commits) {
    Stored& stored = projections_[std::string(commit.projection)];
    for (const StateWrite& write : *commit.writes) {
      if (write.value.has_value()) {
        stored.state[write.key] = *write.value;
      } else {
        stored.state.erase(write.key);
      }
    }
    stored.checkpoint = commit.checkpoint;
  }
  return absl::OkStatus();
}

absl::Status MemoryProjectionStore::Reset(std::string_view projection) {
  absl::MutexLock lock(&mu_);
  if (auto it = projections_.find(projection); it != projections_.end()) {
    projections_.erase(it);
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::projections
