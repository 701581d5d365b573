// The shape every command RPC shares: validate on the gRPC thread, decide
// there too unless something must be read first (then on a worker), finish
// with the mapped status once the append is durable.
#ifndef COOPCRAFT_SERVICES_API_COMMAND_CALL_H_
#define COOPCRAFT_SERVICES_API_COMMAND_CALL_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/common.pb.h"
#include "services/api/scope_checks.h"
#include "services/api/status_mapping.h"
#include "services/api/worker_pool.h"
#include "services/app/aggregate_repository.h"
#include "services/app/command_context.h"
#include "services/auth/principal.h"
#include "services/domain/decision.h"

namespace coopcraft::api {

// The civil date today in Europe/Brussels, where the programme runs.
coopcraft::v1::Date TodayInBrussels();

// Command metadata from the call, its caller (the actor) and the request's
// common fields.
app::CommandContext CommandContextFor(
    grpc::CallbackServerContext* call, const auth::Principal& caller,
    const std::string& request_id,
    const coopcraft::v1::ExpectedRevision& expected, bool has_expected);

// Decision context: today's date and the caller.
domain::DecisionContext DecisionContextFor(const app::CommandContext& command);

// Whether a command's decider reads the log itself (it loads another
// aggregate): such a command is decided on a worker from the start.
enum class DeciderReads { kNo, kYes };

// The whole life of one command RPC on aggregate repository `repository`:
// refuse it when the guard did not admit the caller (`admitted`) or
// `request` is invalid (both on the gRPC thread); then, through the
// repository against `stream`, check `scope(caller, state, request)` and
// run `decide(state, request, decision_context)`; once the events are
// durable, put the WriteResult into `response` and finish (on the thread
// that completed the append). The decision runs on the gRPC thread when the
// stream's cached state is current and the decider does not read (`reads`),
// else on a worker of `pool`, which the repository's scheduler must also
// use: a hop costs a wake-up and a context switch, a read on gRPC's thread
// would hold up every call it serves. The scope check sees the same state
// the decision does, so a record cannot move out of scope between the two.
// `request`, `response` and `call` stay valid until the reactor finishes,
// which is after the decision is done with them.
template <typename Repository, typename Request, typename Response,
          typename DecideFn, typename ScopeFn>
grpc::ServerUnaryReactor* HandleCommand(
    grpc::CallbackServerContext* call, WorkerPool& pool,
    absl::StatusOr<auth::Principal> admitted, Repository& repository,
    const absl::Status& validation, const Request* request, Response* response,
    std::string stream, DecideFn decide, ScopeFn scope,
    DeciderReads reads = DeciderReads::kNo) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  const absl::Status refusal = admitted.ok() ? validation : admitted.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  // The command context carries the call's deadline: the repository refuses
  // a command that waited (in the pool's queue, or behind its stream) past
  // it.
  auto execute = [reactor, call, caller = *std::move(admitted), &repository,
                  request, response, stream = std::move(stream), decide,
                  scope](app::ReadsOn reads_on) mutable {
    app::CommandContext command = CommandContextFor(
        call, caller, request->request_id(), request->expected_revision(),
        request->has_expected_revision());
    const domain::DecisionContext context = DecisionContextFor(command);
    repository.Execute(
        std::move(stream), std::move(command),
        [caller = std::move(caller), request, context, decide, scope](
            const auto& state) -> decltype(decide(state, *request, context)) {
          if (absl::Status in_scope = scope(caller, state, *request);
              !in_scope.ok()) {
            return in_scope;
          }
          return decide(state, *request, context);
        },
        [reactor, response](absl::StatusOr<coopcraft::v1::WriteResult> result) {
          if (result.ok()) *response->mutable_result() = *std::move(result);
          reactor->Finish(ToGrpcStatus(result.status()));
        },
        reads_on);
  };
  if (reads == DeciderReads::kYes) {
    pool.Schedule([execute = std::move(execute)]() mutable {
      execute(app::ReadsOn::kCallingThread);
    });
  } else {
    execute(app::ReadsOn::kScheduledThread);
  }
  return reactor;
}

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_COMMAND_CALL_H_
