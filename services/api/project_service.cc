// ProjectService / HandOffService adapters.
#include "services/api/project_service.h"

#include "absl/strings/str_cat.h"
#include "services/api/command_call.h"
#include "services/api/method_names.h"
#include "services/api/scope_checks.h"
#include "services/api/validation/handoff_validation.h"
#include "services/api/validation/project_validation.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_stream.h"

namespace coopcraft::api {
namespace {

using domain::project::ProjectState;

// Overload set of the project deciders as one callable, so HandleCommand can
// pick the overload for each request type.
struct DecideProject {
  template <typename Request>
  auto operator()(const ProjectState& state, const Request& request,
                  const domain::DecisionContext& context) const {
    return domain::project::Decide(state, request, context);
  }
};

// The facts OpenProject needs from the application the project comes from.
domain::project::SelectedCandidate CandidateFrom(
    const std::string& application_id,
    const domain::selection::ApplicationState& application) {
  domain::project::SelectedCandidate candidate;
  candidate.application_id = application_id;
  candidate.selected =
      application.status == domain::selection::ApplicationStatus::kSelected;
  candidate.person_id = application.person_id;
  candidate.call_id = application.call_id;
  candidate.cpas_id = application.cpas_id;
  candidate.selected_on = application.decided_on;
  candidate.birth_date = application.birth_date;
  candidate.gender_category = application.gender_category;
  candidate.months_on_integration_income =
      application.months_on_integration_income;
  return candidate;
}

}  // namespace

// Every command but OpenProject has the same shape.
#define COOPCRAFT_PROJECT_COMMAND_BODY(Service, Name)                        \
  grpc::ServerUnaryReactor* Service::Name(                                   \
      grpc::CallbackServerContext* call,                                     \
      const coopcraft::v1::Name##Request* request,                           \
      coopcraft::v1::Name##Response* response) {                             \
    return HandleCommand(                                                    \
        call, *pool_, guard_->Admit(*call, COOPCRAFT_METHOD(Service, Name)), \
        repositories_->projects, Validate(*request), request, response,      \
        domain::project::ProjectStream(request->project_id()),               \
        DecideProject(), ProjectCommandScope());                             \
  }

grpc::ServerUnaryReactor* ProjectService::OpenProject(
    grpc::CallbackServerContext* call,
    const coopcraft::v1::OpenProjectRequest* request,
    coopcraft::v1::OpenProjectResponse* response) {
  app::Repositories* repositories = repositories_;
  return HandleCommand(
      call, *pool_,
      guard_->Admit(*call, COOPCRAFT_METHOD(ProjectService, OpenProject)),
      repositories_->projects, Validate(*request), request, response,
      domain::project::ProjectStream(request->project_id()),
      [repositories](const ProjectState& state,
                     const coopcraft::v1::OpenProjectRequest& command,
                     const domain::DecisionContext& context)
          -> absl::StatusOr<domain::project::ProjectEvents> {
        // The application is read, not written: its selection is final, so
        // a stale read cannot let a non-selected candidate through.
        auto application = repositories->applications.Load(
            domain::selection::ApplicationStream(command.project_id()));
        if (!application.ok()) return application.status();
        // An unknown application is a wrong id, not a candidate who was
        // not selected: NOT_FOUND, like every other unknown target.
        if (!application->state.exists) {
          return absl::NotFoundError(
              absl::StrCat("APPLICATION_NOT_FOUND: application ",
                           command.project_id(), " was never submitted"));
        }
        return domain::project::Decide(
            state, command,
            CandidateFrom(command.project_id(), application->state), context);
      },
      ProjectCommandScope(), DeciderReads::kYes);
}

COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RecordWorkedDays)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, DraftDeliverable)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, SubmitDeliverable)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RequestDeliverableChanges)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, ValidateDeliverable)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, AssignMentor)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, ScheduleMentorMeeting)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RecordMentorMeeting)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RecordInterview)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, LogAction)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, PlanMilestone)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, MoveMilestone)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, CompleteMilestone)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RequestResource)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, DecideResourceRequest)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, SubmitFundingApplication)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RecordFundingDecision)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, ContactPartner)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, AgreePartnership)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, PublishCommunication)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, RecordEvaluation)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, ProposeHandOff)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, EndContract)
COOPCRAFT_PROJECT_COMMAND_BODY(ProjectService, CloseProject)
COOPCRAFT_PROJECT_COMMAND_BODY(HandOffService, AcceptHandOff)
COOPCRAFT_PROJECT_COMMAND_BODY(HandOffService, DeclineHandOff)
#undef COOPCRAFT_PROJECT_COMMAND_BODY

}  // namespace coopcraft::api
