// QueryService's trackers: funding, partners and communication, per
// project or for the whole programme.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/command_call.h"
#include "services/api/query_call.h"
#include "services/api/query_service.h"

namespace coopcraft::api {
namespace v1 = ::coopcraft::v1;
namespace {

absl::Status ProjectNotFound(const std::string& project_id) {
  return absl::NotFoundError(
      absl::StrCat("PROJECT_NOT_FOUND: no project ", project_id));
}

}  // namespace

grpc::ServerUnaryReactor* QueryService::GetFundingTracker(
    grpc::CallbackServerContext* call,
    const v1::GetFundingTrackerRequest* request,
    v1::GetFundingTrackerResponse* response) {
  return AnswerQuery(
      call, *engine_, *pool_, request->min_position(), absl::OkStatus(),
      [this, request, response]() -> absl::Status {
        response->set_position(engine_->Position());
        const v1::Date today = TodayInBrussels();
        if (request->project_id().empty()) {
          *response->mutable_tracker() = views_.funding->Programme(today);
          return absl::OkStatus();
        }
        auto tracker = views_.funding->Get(request->project_id(), today);
        if (!tracker.has_value()) return ProjectNotFound(request->project_id());
        *response->mutable_tracker() = *std::move(tracker);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::GetPartnerTracker(
    grpc::CallbackServerContext* call,
    const v1::GetPartnerTrackerRequest* request,
    v1::GetPartnerTrackerResponse* response) {
  return AnswerQuery(
      call, *engine_, *pool_, request->min_position(), absl::OkStatus(),
      [this, request, response]() -> absl::Status {
        response->set_position(engine_->Position());
        if (request->project_id().empty()) {
          *response->mutable_tracker() = views_.partners->Network();
          return absl::OkStatus();
        }
        auto tracker = views_.partners->Get(request->project_id());
        if (!tracker.has_value()) return ProjectNotFound(request->project_id());
        *response->mutable_tracker() = *std::move(tracker);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::GetCommunicationTracker(
    grpc::CallbackServerContext* call,
    const v1::GetCommunicationTrackerRequest* request,
    v1::GetCommunicationTrackerResponse* response) {
  return AnswerQuery(
      call, *engine_, *pool_, request->min_position(), absl::OkStatus(),
      [this, request, response]() -> absl::Status {
        response->set_position(engine_->Position());
        if (request->project_id().empty()) {
          *response->mutable_tracker() = views_.communication->Programme();
          return absl::OkStatus();
        }
        auto tracker = views_.communication->Get(request->project_id());
        if (!tracker.has_value()) return ProjectNotFound(request->project_id());
        *response->mutable_tracker() = *std::move(tracker);
        return absl::OkStatus();
      });
}

}  // namespace coopcraft::api
