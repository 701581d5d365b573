// CommunicationTrackerProjection: each project's publications counted by
// channel and by month, folded from the project streams and queried per
// project or for the whole programme.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_COMMUNICATION_TRACKER_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_COMMUNICATION_TRACKER_PROJECTION_H_

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

// Stored state: one CommunicationTracker per project (key: the project id),
// complete except for `projects`.
//
// Threading: see Projection. Get and Programme take a reader lock and may
// run on any thread concurrently with Apply.
class CommunicationTrackerProjection final
    : public KeyedStateProjection<coopcraft::v1::CommunicationTracker> {
 public:
  std::string_view name() const override { return "communication_tracker"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The tracker of `project_id`; nullopt when no such project was opened.
  std::optional<coopcraft::v1::CommunicationTracker> Get(
      std::string_view project_id) const;

  // The programme's totals by channel and month, with one line per project
  // that published.
  coopcraft::v1::CommunicationTracker Programme() const;

  // Number of projects known.
  size_t size() const;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_COMMUNICATION_TRACKER_PROJECTION_H_
