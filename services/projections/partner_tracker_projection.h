// PartnerTrackerProjection: the partners each project contacted and the
// partnerships it agreed, folded from the project streams and queried per
// project or across the network (per partner organisation).
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PARTNER_TRACKER_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PARTNER_TRACKER_PROJECTION_H_

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

// Stored state: one PartnerTracker per project (key: the project id) with
// project_id and partners set; counts and the network are computed by the
// queries.
//
// Threading: see Projection. Get and Network take a reader lock and may run
// on any thread concurrently with Apply.
class PartnerTrackerProjection final
    : public KeyedStateProjection<coopcraft::v1::PartnerTracker> {
 public:
  std::string_view name() const override { return "partner_tracker"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The partners of `project_id`, with the network summary of each partner
  // organisation it is in touch with; nullopt when no such project was
  // opened.
  std::optional<coopcraft::v1::PartnerTracker> Get(
      std::string_view project_id) const;

  // The whole network: every partner organisation with the projects that
  // contacted it and those that agreed a partnership.
  coopcraft::v1::PartnerTracker Network() const;

  // Number of projects known.
  size_t size() const;

 private:
  // The network summaries of the partners `only` names (all when null).
  std::vector<coopcraft::v1::PartnerOrganisationSummary> Organisations(
      const absl::flat_hash_set<std::string>* only) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PARTNER_TRACKER_PROJECTION_H_
