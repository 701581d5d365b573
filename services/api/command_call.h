// The shape every command RPC shares: validate on the gRPC thread, run the
// command on a worker, finish with the mapped status.
#ifndef COOPCRAFT_SERVICES_API_COMMAND_CALL_H_
#define COOPCRAFT_SERVICES_API_COMMAND_CALL_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/common.pb.h"
#include "services/api/status_mapping.h"
#include "services/api/worker_pool.h"
#include "services/app/command_context.h"
#include "services/domain/decision.h"

namespace coopcraft::api {

// The civil date today in Europe/Brussels, where the programme runs.
coopcraft::v1::Date TodayInBrussels();

// Command metadata from the call and the request's common fields.
app::CommandContext CommandContextFor(
    grpc::CallbackServerContext* call, const std::string& request_id,
    const coopcraft::v1::ExpectedRevision& expected, bool has_expected);

// Decision context: today's date and the caller.
domain::DecisionContext DecisionContextFor(const app::CommandContext& command);

// Finishes immediately when `validation` fails; otherwise runs `execute` on
// `pool` and finishes with its status. `execute` fills the response.
grpc::ServerUnaryReactor* RunCommand(grpc::CallbackServerContext* call,
                                     WorkerPool& pool,
                                     const absl::Status& validation,
                                     std::function<absl::Status()> execute);

// The whole life of one command RPC on aggregate repository `repository`:
// validate `request` (on the gRPC thread), then on a worker run
// `decide(state, request, decision_context)` through the repository against
// `stream` and put the WriteResult into `response`. `request`, `response`
// and `call` stay valid until the reactor finishes, which is after the
// worker is done with them.
template <typename Repository, typename Request, typename Response,
          typename DecideFn>
grpc::ServerUnaryReactor* HandleCommand(
    grpc::CallbackServerContext* call, WorkerPool& pool, Repository& repository,
    const absl::Status& validation, const Request* request, Response* response,
    std::string stream, DecideFn decide) {
  return RunCommand(
      call, pool, validation,
      [call, &repository, request, response, stream = std::move(stream),
       decide]() -> absl::Status {
        const app::CommandContext command = CommandContextFor(
            call, request->request_id(), request->expected_revision(),
            request->has_expected_revision());
        const domain::DecisionContext context = DecisionContextFor(command);
        auto result =
            repository.Execute(stream, command, [&](const auto& state) {
              return decide(state, *request, context);
            });
        if (!result.ok()) return result.status();
        *response->mutable_result() = *std::move(result);
        return absl::OkStatus();
      });
}

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_COMMAND_CALL_H_
