// QueryService's report queries: cohort, Gantt chart and funder report.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/command_call.h"
#include "services/api/method_names.h"
#include "services/api/query_call.h"
#include "services/api/query_service.h"
#include "services/api/scope_checks.h"
#include "services/api/validation/field_errors.h"
#include "services/domain/date.h"
#include "services/projections/gantt_svg.h"

namespace coopcraft::api {
namespace v1 = ::coopcraft::v1;

grpc::ServerUnaryReactor* QueryService::GetCohort(
    grpc::CallbackServerContext* call, const v1::GetCohortRequest* request,
    v1::GetCohortResponse* response) {
  FieldErrors errors;
  errors.RequireId("call_id", request->call_id());
  return AnswerQuery(
      call, guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetCohort)),
      *engine_, *pool_, request->min_position(), errors.ToStatus(),
      [this, request, response](const auth::Principal&) -> absl::Status {
        response->set_position(engine_->Position());
        auto cohort = views_.cohorts->Get(request->call_id());
        if (!cohort.has_value()) {
          return absl::NotFoundError(
              absl::StrCat("CALL_NOT_FOUND: no call ", request->call_id()));
        }
        *response->mutable_cohort() = *std::move(cohort);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::GetGantt(
    grpc::CallbackServerContext* call, const v1::GetGanttRequest* request,
    v1::GetGanttResponse* response) {
  FieldErrors errors;
  errors.RequireId("project_id", request->project_id());
  return AnswerQuery(
      call, guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetGantt)),
      *engine_, *pool_, request->min_position(), errors.ToStatus(),
      [this, request, response](const auth::Principal& caller) -> absl::Status {
        response->set_position(engine_->Position());
        // The Gantt view holds no CPAS or mentor: the project view decides
        // whether a scoped caller may see this project at all.
        if (auth::IsScopedRole(caller.role)) {
          auto project =
              views_.projects->Get(request->project_id(), TodayInBrussels());
          if (absl::Status in_scope = CheckProjectViewScope(
                  caller, project.value_or(v1::ProjectView()));
              !in_scope.ok()) {
            return in_scope;
          }
        }
        auto gantt = views_.gantts->Get(request->project_id());
        if (!gantt.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "PROJECT_NOT_FOUND: no project ", request->project_id()));
        }
        response->set_svg(
            projections::RenderGanttSvg(*gantt, TodayInBrussels()));
        *response->mutable_gantt() = *std::move(gantt);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::GetFunderReport(
    grpc::CallbackServerContext* call,
    const v1::GetFunderReportRequest* request,
    v1::GetFunderReportResponse* response) {
  FieldErrors errors;
  errors.RequireDate("period_start", request->has_period_start(),
                     request->period_start());
  errors.RequireDate("period_end", request->has_period_end(),
                     request->period_end());
  if (errors.empty() &&
      domain::DateBefore(request->period_end(), request->period_start())) {
    errors.Add("period_end", "must not be before period_start",
               "PERIOD_REVERSED");
  }
  if (!request->employing_cpas_id().empty()) {
    errors.RequireId("employing_cpas_id", request->employing_cpas_id());
  }
  return AnswerQuery(
      call,
      guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetFunderReport)),
      *engine_, *pool_, request->min_position(), errors.ToStatus(),
      [this, request, response](const auth::Principal&) -> absl::Status {
        response->set_position(engine_->Position());
        *response->mutable_report() = views_.funder_report->Report(
            request->period_start(), request->period_end(),
            request->employing_cpas_id());
        return absl::OkStatus();
      });
}

}  // namespace coopcraft::api
