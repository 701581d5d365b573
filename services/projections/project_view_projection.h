// ProjectViewProjection: the coach's view of every project (stage,
// contract, deliverables, mentoring, actions, milestones, resources,
// funding, evaluation, hand-off), folded from the project streams and
// queried by project id or by filters.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_VIEW_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_VIEW_PROJECTION_H_

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
#include "coopcraft/v1/query_service.pb.h"
#include "services/projections/keyed_state_projection.h"

namespace coopcraft::projections {

// Which projects ListProjects returns; unset fields match everything.
struct ProjectFilter {
  coopcraft::v1::ProjectStage stage = coopcraft::v1::PROJECT_STAGE_UNSPECIFIED;
  std::string employing_cpas_id;
  std::string call_id;
  // The current mentor; set for a MENTOR caller, who lists their mentees.
  std::string mentor_id;
  coopcraft::v1::RiskFlag risk_flag = coopcraft::v1::RISK_FLAG_UNSPECIFIED;
};

// One page of ListProjects.
struct ProjectPage {
  std::vector<coopcraft::v1::ProjectView> projects;
  // Id of the last project returned when more may follow; empty otherwise.
  std::string last_id;
};

// Threading: see Projection. Get and List take a reader lock and may run
// on any thread concurrently with Apply.
class ProjectViewProjection final
    : public KeyedStateProjection<coopcraft::v1::ProjectView> {
 public:
  std::string_view name() const override { return "project_view"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The view of `project_id` completed for `today`; nullopt when unknown.
  std::optional<coopcraft::v1::ProjectView> Get(
      std::string_view project_id, const coopcraft::v1::Date& today) const;

  // Up to `page_size` (at least 1) matching projects with an id greater
  // than `after_id`, in id order, completed for `today`.
  ProjectPage List(const ProjectFilter& filter, std::string_view after_id,
                   size_t page_size, const coopcraft::v1::Date& today) const;

  // Number of projects known.
  size_t size() const;

 private:
  void Fold(const coopcraft::v1::ProjectEvent& event,
            coopcraft::v1::ProjectView& view);
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_VIEW_PROJECTION_H_
