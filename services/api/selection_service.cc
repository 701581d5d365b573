// SelectionService / CohortService adapters.
#include "services/api/selection_service.h"

#include "services/api/command_call.h"
#include "services/api/method_names.h"
#include "services/api/scope_checks.h"
#include "services/api/validation/cohort_validation.h"
#include "services/api/validation/selection_validation.h"
#include "services/domain/cohort/cohort.h"
#include "services/domain/selection/application.h"
#include "services/domain/selection/call.h"

namespace coopcraft::api {
namespace {

using domain::selection::ApplicationState;
using domain::selection::ApplicationStream;
using domain::selection::CallState;
using domain::selection::CallStream;

// Overload sets of the deciders as callables, so HandleCommand picks the
// overload for each request type.
struct DecideCall {
  template <typename Request>
  auto operator()(const CallState& state, const Request& request,
                  const domain::DecisionContext& context) const {
    return domain::selection::Decide(state, request, context);
  }
};
struct DecideApplication {
  template <typename Request>
  auto operator()(const ApplicationState& state, const Request& request,
                  const domain::DecisionContext& context) const {
    return domain::selection::Decide(state, request, context);
  }
};

}  // namespace

#define COOPCRAFT_COMMAND_BODY(Service, Name, repository, Stream, id, Decider, \
                               Scope)                                          \
  grpc::ServerUnaryReactor* Service::Name(                                     \
      grpc::CallbackServerContext* call,                                       \
      const coopcraft::v1::Name##Request* request,                             \
      coopcraft::v1::Name##Response* response) {                               \
    return HandleCommand(                                                      \
        call, *pool_, guard_->Admit(*call, COOPCRAFT_METHOD(Service, Name)),   \
        repositories_->repository, Validate(*request), request, response,      \
        Stream(request->id()), Decider(), Scope());                            \
  }

COOPCRAFT_COMMAND_BODY(SelectionService, OpenCall, calls, CallStream, call_id,
                       DecideCall, UnscopedCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, CloseCall, calls, CallStream, call_id,
                       DecideCall, UnscopedCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, ReviewApplication, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, RecordCpasOpinion, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, SelectCandidate, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, WaitlistCandidate, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, RejectCandidate, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
COOPCRAFT_COMMAND_BODY(SelectionService, WithdrawApplication, applications,
                       ApplicationStream, application_id, DecideApplication,
                       ApplicationCommandScope)
#undef COOPCRAFT_COMMAND_BODY

grpc::ServerUnaryReactor* SelectionService::SubmitApplication(
    grpc::CallbackServerContext* call,
    const coopcraft::v1::SubmitApplicationRequest* request,
    coopcraft::v1::SubmitApplicationResponse* response) {
  app::Repositories* repositories = repositories_;
  return HandleCommand(
      call, *pool_,
      guard_->Admit(*call,
                    COOPCRAFT_METHOD(SelectionService, SubmitApplication)),
      repositories_->applications, Validate(*request), request, response,
      ApplicationStream(request->application_id()),
      [repositories](const ApplicationState& state,
                     const coopcraft::v1::SubmitApplicationRequest& command,
                     const domain::DecisionContext& context)
          -> absl::StatusOr<std::vector<coopcraft::v1::ApplicationEvent>> {
        // A call closing concurrently may still admit this application: the
        // receipt date, checked against the call's closing date, is what the
        // programme's rules go by, not the instant of the write.
        auto call_state =
            repositories->calls.Load(CallStream(command.call_id()));
        if (!call_state.ok()) return call_state.status();
        return domain::selection::Decide(state, command, call_state->state,
                                         context);
      },
      ApplicationCommandScope(), DeciderReads::kYes);
}

grpc::ServerUnaryReactor* CohortService::RecordGroupMeeting(
    grpc::CallbackServerContext* call,
    const coopcraft::v1::RecordGroupMeetingRequest* request,
    coopcraft::v1::RecordGroupMeetingResponse* response) {
  app::Repositories* repositories = repositories_;
  return HandleCommand(
      call, *pool_,
      guard_->Admit(*call, COOPCRAFT_METHOD(CohortService, RecordGroupMeeting)),
      repositories_->cohorts, Validate(*request), request, response,
      domain::cohort::CohortStream(request->call_id()),
      [repositories](const domain::cohort::CohortState& state,
                     const coopcraft::v1::RecordGroupMeetingRequest& command,
                     const domain::DecisionContext& context)
          -> absl::StatusOr<std::vector<coopcraft::v1::CohortEvent>> {
        auto call_state =
            repositories->calls.Load(CallStream(command.call_id()));
        if (!call_state.ok()) return call_state.status();
        return domain::cohort::Decide(state, command, call_state->state,
                                      context);
      },
      UnscopedCommandScope(), DeciderReads::kYes);
}

}  // namespace coopcraft::api
