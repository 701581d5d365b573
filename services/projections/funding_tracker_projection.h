// FundingTrackerProjection: the funding applications of every project
// (status, amounts requested and granted, deadlines), folded from the
// project streams and queried per project or for the whole programme.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_FUNDING_TRACKER_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_FUNDING_TRACKER_PROJECTION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/tracker_views.pb.h"
#include "services/projections/keyed_state_projection.h"

namespace coopcraft::projections {

// Stored state: one FundingTracker per project (key: the project id) with
// project_id and applications set; totals and deadlines are computed by
// the queries.
//
// Threading: see Projection. Get and Programme take a reader lock and may
// run on any thread concurrently with Apply.
class FundingTrackerProjection final
    : public KeyedStateProjection<coopcraft::v1::FundingTracker> {
 public:
  std::string_view name() const override { return "funding_tracker"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The tracker of `project_id` with its deadlines from `today` on; nullopt
  // when no such project was opened.
  std::optional<coopcraft::v1::FundingTracker> Get(
      std::string_view project_id, const coopcraft::v1::Date& today) const;

  // The programme-wide tracker: totals, one line per project with
  // applications, and every deadline from `today` on.
  coopcraft::v1::FundingTracker Programme(
      const coopcraft::v1::Date& today) const;

  // Number of projects known.
  size_t size() const;

 private:
  void Fold(const coopcraft::v1::ProjectEvent& event,
            coopcraft::v1::FundingTracker& tracker);
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_FUNDING_TRACKER_PROJECTION_H_
