// GanttProjection: per project, the data of its Gantt chart (contract span,
// stages as bars, milestones planned against actual), folded from the
// project streams and queried by project id.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_GANTT_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_GANTT_PROJECTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/report_views.pb.h"
#include "services/projections/keyed_state_projection.h"

namespace coopcraft::projections {

// Threading: see Projection. Get takes a reader lock and may run on any
// thread concurrently with Apply.
class GanttProjection final
    : public KeyedStateProjection<coopcraft::v1::GanttView> {
 public:
  std::string_view name() const override { return "gantt"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The chart of `project_id`; nullopt when unknown.
  std::optional<coopcraft::v1::GanttView> Get(
      std::string_view project_id) const;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_GANTT_PROJECTION_H_
