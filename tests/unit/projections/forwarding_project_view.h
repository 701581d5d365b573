// A project view behind the Projection interface that engine tests wrap to
// change one behaviour (its version, what happens on Clear) while the view
// itself folds as in production.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_FORWARDING_PROJECT_VIEW_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_FORWARDING_PROJECT_VIEW_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection.h"

namespace coopcraft::projections::testing {

class ForwardingProjectView : public Projection {
 public:
  std::string_view name() const override { return views.name(); }
  uint32_t version() const override { return views.version(); }
  void Clear() override { views.Clear(); }
  absl::Status Restore(std::string_view key, std::string_view value) override {
    return views.Restore(key, value);
  }
  void Apply(const DecodedEvent& event) override { views.Apply(event); }
  void TakeChanges(std::vector<StateWrite>* writes) override {
    views.TakeChanges(writes);
  }
  std::string_view StateType(std::string_view key) const override {
    return views.StateType(key);
  }

  ProjectViewProjection views;
};

}  // namespace coopcraft::projections::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_FORWARDING_PROJECT_VIEW_H_
