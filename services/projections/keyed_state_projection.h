// KeyedStateProjection: the storage side every keyed view shares. Its state
// is one protobuf message per key (a project, a call); the engine persists
// the keys an Apply touched, and a restart or replay restores them. A
// projection derives from it, folds events into `states_` under `mu_` and
// calls MarkChanged for each key it touched; Clear, Restore, TakeChanges and
// StateType come from here.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_KEYED_STATE_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_KEYED_STATE_PROJECTION_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/base/string_view.h"
#include "services/projections/projection.h"

namespace coopcraft::projections {

// `State` is a generated protobuf message. Threading: see Projection; the
// derived class's queries take `mu_` shared.
template <typename State>
class KeyedStateProjection : public Projection {
 public:
  void Clear() override {
    absl::MutexLock lock(&mu_);
    states_.clear();
    changed_.clear();
  }

  absl::Status Restore(std::string_view key, std::string_view value) override {
    State state;
    if (!state.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(absl::StrCat("stored ", ToAbsl(name()),
                                              " state of ", ToAbsl(key),
                                              " does not parse"));
    }
    absl::MutexLock lock(&mu_);
    states_[std::string(key)] = std::move(state);
    return absl::OkStatus();
  }

  void TakeChanges(std::vector<StateWrite>* writes) override {
    absl::ReaderMutexLock lock(&mu_);
    for (const std::string& key : changed_) {
      auto it = states_.find(key);
      writes->push_back({.key = key,
                         .value = it == states_.end()
                                      ? std::nullopt
                                      : std::optional<std::string>(
                                            it->second.SerializeAsString())});
    }
    changed_.clear();
  }

  std::string_view StateType(std::string_view /*key*/) const override {
    return State::descriptor()->full_name();
  }

 protected:
  // Engine thread only: `key` is written at the next commit.
  void MarkChanged(const std::string& key) { changed_.insert(key); }

  mutable absl::Mutex mu_;
  absl::btree_map<std::string, State> states_ ABSL_GUARDED_BY(mu_);

 private:
  // Keys touched since the last TakeChanges; engine thread only.
  absl::flat_hash_set<std::string> changed_;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_KEYED_STATE_PROJECTION_H_
