// One AggregateRepository per aggregate of the programme, over one log.
#ifndef COOPCRAFT_SERVICES_APP_REPOSITORIES_H_
#define COOPCRAFT_SERVICES_APP_REPOSITORIES_H_

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "services/app/aggregate_repository.h"
#include "services/domain/cohort/cohort.h"
#include "services/domain/project/project_state.h"
#include "services/domain/selection/application.h"
#include "services/domain/selection/call.h"
#include "storage/event_log.h"

namespace coopcraft::app {

using CallRepository =
    AggregateRepository<domain::selection::CallState, coopcraft::v1::CallEvent>;
using ApplicationRepository =
    AggregateRepository<domain::selection::ApplicationState,
                        coopcraft::v1::ApplicationEvent>;
using ProjectRepository = AggregateRepository<domain::project::ProjectState,
                                              coopcraft::v1::ProjectEvent>;
using CohortRepository = AggregateRepository<domain::cohort::CohortState,
                                             coopcraft::v1::CohortEvent>;

// Thread-safe; `log` must outlive it.
struct Repositories {
  // `sealer` (may be null: no sealing) must outlive it too, as must what
  // `schedule` runs parked commands on (see AggregateRepository).
  Repositories(storage::EventLog* log, const privacy::EventSealer* sealer,
               const ScheduleFn& schedule)
      : calls(log, &domain::selection::Evolve, sealer, schedule),
        applications(log, &domain::selection::Evolve, sealer, schedule),
        projects(log, &domain::project::Evolve, sealer, schedule),
        cohorts(log, &domain::cohort::Evolve, sealer, schedule) {}

  CallRepository calls;
  ApplicationRepository applications;
  ProjectRepository projects;
  CohortRepository cohorts;
};

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_REPOSITORIES_H_
