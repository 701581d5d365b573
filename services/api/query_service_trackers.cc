// QueryService's trackers: funding, partners and communication, per
// project or for the whole programme.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/command_call.h"
#include "services/api/method_names.h"
#include "services/api/query_call.h"
#include "services/api/query_service.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace v1 = ::coopcraft::v1;
namespace {

// The shape the three trackers share: an optional project_id (validated
// when set); empty asks for the programme-wide tracker, else that project's
// (NOT_FOUND when no such project was opened).
template <typename Request, typename Response, typename Programme,
          typename OneProject>
grpc::ServerUnaryReactor* AnswerTracker(
    grpc::CallbackServerContext* call, absl::StatusOr<auth::Principal> admitted,
    const projections::ProjectionEngine& engine, WorkerPool& pool,
    const Request* request, Response* response, Programme programme,
    OneProject one_project) {
  FieldErrors errors;
  if (!request->project_id().empty()) {
    errors.RequireId("project_id", request->project_id());
  }
  return AnswerQuery(
      call, std::move(admitted), engine, pool, request->min_position(),
      errors.ToStatus(),
      [&engine, request, response, programme,
       one_project](const auth::Principal&) -> absl::Status {
        response->set_position(engine.Position());
        if (request->project_id().empty()) {
          *response->mutable_tracker() = programme();
          return absl::OkStatus();
        }
        auto tracker = one_project(request->project_id());
        if (!tracker.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "PROJECT_NOT_FOUND: no project ", request->project_id()));
        }
        *response->mutable_tracker() = *std::move(tracker);
        return absl::OkStatus();
      });
}

}  // namespace

grpc::ServerUnaryReactor* QueryService::GetFundingTracker(
    grpc::CallbackServerContext* call,
    const v1::GetFundingTrackerRequest* request,
    v1::GetFundingTrackerResponse* response) {
  const v1::Date today = TodayInBrussels();
  return AnswerTracker(
      call,
      guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetFundingTracker)),
      *engine_, *pool_, request, response,
      [this, today] { return views_.funding->Programme(today); },
      [this, today](const std::string& id) {
        return views_.funding->Get(id, today);
      });
}

grpc::ServerUnaryReactor* QueryService::GetPartnerTracker(
    grpc::CallbackServerContext* call,
    const v1::GetPartnerTrackerRequest* request,
    v1::GetPartnerTrackerResponse* response) {
  return AnswerTracker(
      call,
      guard_->Admit(*call, COOPCRAFT_METHOD(QueryService, GetPartnerTracker)),
      *engine_, *pool_, request, response,
      [this] { return views_.partners->Network(); },
      [this](const std::string& id) { return views_.partners->Get(id); });
}

grpc::ServerUnaryReactor* QueryService::GetCommunicationTracker(
    grpc::CallbackServerContext* call,
    const v1::GetCommunicationTrackerRequest* request,
    v1::GetCommunicationTrackerResponse* response) {
  return AnswerTracker(
      call,
      guard_->Admit(*call,
                    COOPCRAFT_METHOD(QueryService, GetCommunicationTracker)),
      *engine_, *pool_, request, response,
      [this] { return views_.communication->Programme(); },
      [this](const std::string& id) { return views_.communication->Get(id); });
}

}  // namespace coopcraft::api
