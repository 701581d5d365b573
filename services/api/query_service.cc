// QueryService: validate, wait for min_position if asked, read the view.
#include "services/api/query_service.h"

#include <functional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/command_call.h"
#include "services/api/method_names.h"
#include "services/api/query_call.h"
#include "services/api/scope_checks.h"
#include "services/api/validation/field_errors.h"
#include "services/base/status_macros.h"

namespace coopcraft::api {
namespace v1 = ::coopcraft::v1;

grpc::ServerUnaryReactor* QueryService::GetProject(
    grpc::CallbackServerContext* call, const v1::GetProjectRequest* request,
    v1::GetProjectResponse* response) {
  FieldErrors errors;
  errors.RequireId("project_id", request->project_id());
  return AnswerQuery(
      call, guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetProject)),
      *engine_, *pool_, request->min_position(), errors.ToStatus(),
      [this, request, response](const auth::Principal& caller) -> absl::Status {
        response->set_position(engine_->Position());
        auto view =
            views_.projects->Get(request->project_id(), TodayInBrussels());
        if (!view.has_value()) {
          // A scoped caller learns nothing about projects outside its scope.
          if (auth::IsScopedRole(caller.role)) {
            return CheckProjectViewScope(caller, v1::ProjectView());
          }
          return absl::NotFoundError(absl::StrCat(
              "PROJECT_NOT_FOUND: no project ", request->project_id()));
        }
        RETURN_IF_ERROR(CheckProjectViewScope(caller, *view));
        *response->mutable_project() = *std::move(view);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::ListProjects(
    grpc::CallbackServerContext* call, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  FieldErrors errors;
  int page_size = 0;
  const std::string after_id = ReadPageRequest(
      request->page_size(), request->page_token(), &page_size, &errors);
  if (!request->employing_cpas_id().empty()) {
    errors.RequireId("employing_cpas_id", request->employing_cpas_id());
  }
  if (!request->call_id().empty()) {
    errors.RequireId("call_id", request->call_id());
  }
  if (!v1::ProjectStage_IsValid(request->stage())) {
    errors.Add("stage", "is not a known stage");
  }
  if (!v1::RiskFlag_IsValid(request->risk_flag())) {
    errors.Add("risk_flag", "is not a known risk flag");
  }
  const absl::Status validation = errors.ToStatus();
  return AnswerQuery(
      call, guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, ListProjects)),
      *engine_, *pool_, request->min_position(), validation,
      [this, request, response, page_size,
       after_id](const auth::Principal& caller) -> absl::Status {
        projections::ProjectFilter filter{
            .stage = request->stage(),
            .employing_cpas_id = request->employing_cpas_id(),
            .call_id = request->call_id(),
            .risk_flag = request->risk_flag()};
        // A scoped caller lists within its scope only; asking for another
        // CPAS is refused rather than silently answered with nothing.
        if (caller.role == v1::ROLE_CPAS) {
          if (!filter.employing_cpas_id.empty() &&
              filter.employing_cpas_id != caller.scope) {
            return CheckProjectViewScope(caller, v1::ProjectView());
          }
          filter.employing_cpas_id = caller.scope;
        } else if (caller.role == v1::ROLE_MENTOR) {
          filter.mentor_id = caller.scope;
        } else {
          RETURN_IF_ERROR(RequireUnscoped(caller));
        }
        response->set_position(engine_->Position());
        projections::ProjectPage page = views_.projects->List(
            filter, after_id, static_cast<size_t>(page_size),
            TodayInBrussels());
        for (v1::ProjectView& view : page.projects) {
          *response->add_projects() = std::move(view);
        }
        if (!page.last_id.empty()) {
          response->set_next_page_token(EncodePageToken(page.last_id));
        }
        return absl::OkStatus();
      });
}

}  // namespace coopcraft::api
