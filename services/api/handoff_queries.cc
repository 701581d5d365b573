// HandOffService's read side: the hand-offs addressed to a partner
// organisation, from the hand-off projection.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/method_names.h"
#include "services/api/project_service.h"
#include "services/api/query_call.h"
#include "services/api/scope_checks.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace v1 = ::coopcraft::v1;

grpc::ServerUnaryReactor* HandOffService::ListHandOffs(
    grpc::CallbackServerContext* call, const v1::ListHandOffsRequest* request,
    v1::ListHandOffsResponse* response) {
  FieldErrors errors;
  // The partner organisation scopes the list: a PARTNER caller may only
  // name its own.
  errors.RequireId("partner_organisation_id",
                   request->partner_organisation_id());
  if (!v1::HandOffStatus_IsValid(request->status())) {
    errors.Add("status", "not a hand-off status");
  }
  int page_size = 0;
  const std::string after_key = ReadPageRequest(
      request->page_size(), request->page_token(), &page_size, &errors);
  if (!after_key.empty() &&
      !projections::HandOffViewProjection::ParseKey(after_key).ok()) {
    errors.Add("page_token", "not a token of this list");
  }
  return AnswerQuery(
      call,
      guard_->Admit(*call, COOPCRAFT_METHOD(HandOffService, ListHandOffs)),
      *engine_, *query_pool_, request->min_position(), errors.ToStatus(),
      [this, request, response, page_size,
       after_key](const auth::Principal& caller) -> absl::Status {
        if (absl::Status own = CheckPartnerOrganisation(
                caller, request->partner_organisation_id());
            !own.ok()) {
          return own;
        }
        response->set_position(engine_->Position());
        projections::HandOffPage page = handoffs_->List(
            request->partner_organisation_id(), request->status(), after_key,
            static_cast<size_t>(page_size));
        for (v1::HandOffView& view : page.handoffs) {
          *response->add_handoffs() = std::move(view);
        }
        if (!page.last_key.empty()) {
          response->set_next_page_token(EncodePageToken(page.last_key));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* HandOffService::GetHandOff(
    grpc::CallbackServerContext* call, const v1::GetHandOffRequest* request,
    v1::GetHandOffResponse* response) {
  FieldErrors errors;
  errors.RequireId("project_id", request->project_id());
  if (!request->handoff_id().empty()) {
    errors.RequireId("handoff_id", request->handoff_id());
  }
  return AnswerQuery(
      call, guard_->Admit(*call, COOPCRAFT_METHOD(HandOffService, GetHandOff)),
      *engine_, *query_pool_, request->min_position(), errors.ToStatus(),
      [this, request, response](const auth::Principal& caller) -> absl::Status {
        response->set_position(engine_->Position());
        auto view =
            handoffs_->Get(request->project_id(), request->handoff_id());
        // Missing and not-addressed-to-you look alike to a partner.
        if (absl::Status in_scope =
                CheckHandOffScope(caller, view.value_or(v1::HandOffView()));
            !in_scope.ok()) {
          return in_scope;
        }
        if (!view.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "HANDOFF_NOT_FOUND: no hand-off ",
              request->handoff_id().empty() ? "" : request->handoff_id(),
              request->handoff_id().empty() ? "" : " ", "of project ",
              request->project_id()));
        }
        *response->mutable_handoff() = *std::move(view);
        return absl::OkStatus();
      });
}

}  // namespace coopcraft::api
