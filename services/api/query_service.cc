// QueryService: validate, wait for min_position if asked, read the view.
#include "services/api/query_service.h"

#include <functional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/api/command_call.h"
#include "services/api/status_mapping.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
// Page tokens carry a version so their format can change.
constexpr char kTokenPrefix[] = "p1:";

std::string EncodePageToken(const std::string& last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, last_id));
}

absl::StatusOr<std::string> DecodePageToken(const std::string& token) {
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      decoded.rfind(kTokenPrefix, 0) != 0) {
    return absl::InvalidArgumentError("page_token: not a token of this list");
  }
  return decoded.substr(sizeof(kTokenPrefix) - 1);
}

// Runs `read` at once when no wait is needed, else on `pool` after the
// projections reached `min_position` within the call's deadline.
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* call,
                                 const projections::ProjectionEngine& engine,
                                 WorkerPool& pool, uint64_t min_position,
                                 const absl::Status& validation,
                                 std::function<absl::Status()> read) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  if (!validation.ok()) {
    reactor->Finish(ToGrpcStatus(validation));
  } else if (engine.Position() >= min_position) {
    reactor->Finish(ToGrpcStatus(read()));
  } else {
    const absl::Time deadline = absl::FromChrono(call->deadline());
    pool.Schedule(
        [reactor, &engine, min_position, deadline, read = std::move(read)] {
          absl::Status status = engine.WaitUntil(min_position, deadline);
          reactor->Finish(ToGrpcStatus(status.ok() ? read() : status));
        });
  }
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* QueryService::GetProject(
    grpc::CallbackServerContext* call, const v1::GetProjectRequest* request,
    v1::GetProjectResponse* response) {
  absl::Status validation =
      request->project_id().empty()
          ? absl::InvalidArgumentError("project_id: required")
          : absl::OkStatus();
  return Answer(
      call, *engine_, *pool_, request->min_position(), validation,
      [this, request, response]() -> absl::Status {
        response->set_position(engine_->Position());
        auto view = projects_->Get(request->project_id(), TodayInBrussels());
        if (!view.has_value()) {
          return absl::NotFoundError(absl::StrCat(
              "PROJECT_NOT_FOUND: no project ", request->project_id()));
        }
        *response->mutable_project() = *std::move(view);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* QueryService::ListProjects(
    grpc::CallbackServerContext* call, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  absl::Status validation;
  std::string after_id;
  if (request->page_size() < 0) {
    validation = absl::InvalidArgumentError("page_size: must not be negative");
  } else if (!request->page_token().empty()) {
    absl::StatusOr<std::string> decoded =
        DecodePageToken(request->page_token());
    if (decoded.ok()) {
      after_id = *std::move(decoded);
    } else {
      validation = decoded.status();
    }
  }
  return Answer(
      call, *engine_, *pool_, request->min_position(), validation,
      [this, request, response, after_id]() -> absl::Status {
        const int page_size =
            request->page_size() == 0
                ? kDefaultPageSize
                : std::min(request->page_size(), kMaxPageSize);
        const projections::ProjectFilter filter{
            .stage = request->stage(),
            .employing_cpas_id = request->employing_cpas_id(),
            .call_id = request->call_id(),
            .risk_flag = request->risk_flag()};
        response->set_position(engine_->Position());
        projections::ProjectPage page =
            projects_->List(filter, after_id, static_cast<size_t>(page_size),
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
