// CohortViewProjection: per call, the selection funnel (from the call and
// application streams) and the weekly group meetings with attendance (from
// the cohort stream "cohort-<call_id>"), queried by call id.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_COHORT_VIEW_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_COHORT_VIEW_PROJECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/report_views.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "services/projections/keyed_state_projection.h"

namespace coopcraft::projections {

// Threading: see Projection. Get takes a reader lock and may run on any
// thread concurrently with Apply.
class CohortViewProjection final
    : public KeyedStateProjection<coopcraft::v1::CohortState> {
 public:
  std::string_view name() const override { return "cohort_view"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The cohort of `call_id` with its funnel and attendance rate; nullopt
  // when no event named that call.
  std::optional<coopcraft::v1::CohortView> Get(std::string_view call_id) const;

 private:
  // The state of `call_id`, created empty on first use.
  coopcraft::v1::CohortState& StateOf(const std::string& call_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyCall(const coopcraft::v1::CallEvent& event);
  void ApplyApplication(const coopcraft::v1::ApplicationEvent& event);
  void ApplyCohort(const coopcraft::v1::CohortEvent& event);
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_COHORT_VIEW_PROJECTION_H_
