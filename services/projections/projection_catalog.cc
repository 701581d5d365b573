// The catalog of coopcraftd's projections.
#include "services/projections/projection_catalog.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/projections/cohort_view_projection.h"
#include "services/projections/communication_tracker_projection.h"
#include "services/projections/funder_report_projection.h"
#include "services/projections/funding_tracker_projection.h"
#include "services/projections/gantt_projection.h"
#include "services/projections/handoff_view_projection.h"
#include "services/projections/partner_tracker_projection.h"
#include "services/projections/project_view_projection.h"

namespace coopcraft::projections {
namespace {

template <typename T>
ProjectionCatalog::Factory Make() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

const ProjectionCatalog& ProjectionCatalog::Default() {
  static const ProjectionCatalog* const catalog = new ProjectionCatalog(
      {Make<ProjectViewProjection>(), Make<FundingTrackerProjection>(),
       Make<PartnerTrackerProjection>(), Make<CommunicationTrackerProjection>(),
       Make<HandOffViewProjection>(), Make<CohortViewProjection>(),
       Make<GanttProjection>(), Make<FunderReportProjection>()});
  return *catalog;
}

ProjectionCatalog::ProjectionCatalog(std::vector<Factory> factories) {
  for (Factory& factory : factories) {
    const std::string name(factory()->name());
    factories_.emplace(name, std::move(factory));
  }
}

absl::StatusOr<std::unique_ptr<Projection>> ProjectionCatalog::Create(
    std::string_view name) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no projection named \"", std::string(name),
                     "\"; known: ", absl::StrJoin(Names(), ", ")));
  }
  return it->second();
}

std::vector<std::string> ProjectionCatalog::Names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

}  // namespace coopcraft::projections
