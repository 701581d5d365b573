// Fuzz target for ProjectService and HandOffService requests: decode,
// Validate, then Decide against the project states of a fixed history,
// folding what is accepted with Evolve (see fuzz_harness.h for the input
// format).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/api/validation/handoff_validation.h"
#include "services/api/validation/project_validation.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_state.h"
#include "tests/fuzz/fuzz_harness.h"
#include "tests/support/programme_requests.h"

// X(Request) for every command decided by Decide(state, request, context);
// OpenProject, which also takes the candidate, is handled on its own.
#define COOPCRAFT_FUZZ_PROJECT_COMMANDS(X) \
  X(RecordWorkedDays)                      \
  X(DraftDeliverable)                      \
  X(SubmitDeliverable)                     \
  X(RequestDeliverableChanges)             \
  X(ValidateDeliverable)                   \
  X(AssignMentor)                          \
  X(ScheduleMentorMeeting)                 \
  X(RecordMentorMeeting)                   \
  X(RecordInterview)                       \
  X(LogAction)                             \
  X(PlanMilestone)                         \
  X(MoveMilestone)                         \
  X(CompleteMilestone)                     \
  X(RequestResource)                       \
  X(DecideResourceRequest)                 \
  X(SubmitFundingApplication)              \
  X(RecordFundingDecision)                 \
  X(ContactPartner)                        \
  X(AgreePartnership)                      \
  X(PublishCommunication)                  \
  X(RecordEvaluation)                      \
  X(ProposeHandOff)                        \
  X(EndContract)                           \
  X(CloseProject)                          \
  X(AcceptHandOff)                         \
  X(DeclineHandOff)

namespace coopcraft::fuzz {
namespace {

namespace v1 = ::coopcraft::v1;
namespace project = ::coopcraft::domain::project;
namespace story = ::coopcraft::testing;

using project::ProjectState;

constexpr char kProjectId[] = "project-fuzz";

// Selector byte values.
enum RequestType : uint8_t {
  kOpenProject,
#define COOPCRAFT_FUZZ_ENUM(Name) k##Name,
  COOPCRAFT_FUZZ_PROJECT_COMMANDS(COOPCRAFT_FUZZ_ENUM)
#undef COOPCRAFT_FUZZ_ENUM
      kRequestTypeCount,
};

// The application a project opens from, as the app layer would load it:
// selected, and one that was not (OpenProject must refuse it).
project::SelectedCandidate Candidate(bool selected) {
  project::SelectedCandidate candidate;
  candidate.application_id = kProjectId;
  candidate.selected = selected;
  candidate.person_id = "person-fuzz";
  candidate.call_id = "call-fuzz";
  candidate.cpas_id = story::kCpasId;
  candidate.selected_on = story::DecidedOn();
  candidate.birth_date = story::Day(1990, 5, 20);
  candidate.gender_category = v1::GENDER_CATEGORY_WOMAN;
  candidate.months_on_integration_income = 14;
  return candidate;
}

// Project states from nothing through a busy contract to its end, built by
// the real deciders so a history the rules refuse fails loudly.
std::vector<ProjectState> BuildHistory() {
  const domain::DecisionContext context = FixedContext();
  const std::string id = kProjectId;
  const auto fold = [&](const ProjectState& state, const auto& request,
                        const char* step) {
    return MustFold(state, project::Decide(state, request, context), step);
  };
  const ProjectState none;
  const ProjectState opened = MustFold(
      none,
      project::Decide(none, story::OpenProject(id), Candidate(true), context),
      "OpenProject");
  ProjectState busy = opened;
  // Dated at the contract start, so the seeded meeting (June) follows it.
  busy = fold(busy, story::AssignMentor(id, "mentor-1", story::Day(2026, 3, 2)),
              "AssignMentor");
  busy = fold(busy,
              story::RecordWorkedDays(id, story::Day(2026, 3, 2),
                                      story::Day(2026, 3, 31), 20),
              "RecordWorkedDays");
  busy = fold(busy,
              story::DraftDeliverable(id, v1::DELIVERABLE_KIND_BUSINESS_MODEL),
              "DraftDeliverable");
  busy = fold(busy, story::LogAction(id, "action-1"), "LogAction");
  busy = fold(busy,
              story::PlanMilestone(id, "milestone-1", story::Day(2026, 4, 1),
                                   story::Day(2026, 6, 30)),
              "PlanMilestone");
  busy =
      fold(busy, story::RequestResource(id, "resource-1"), "RequestResource");
  busy = fold(
      busy,
      story::SubmitFundingApplication(id, "funding-1", story::Day(2026, 5, 4)),
      "SubmitFundingApplication");
  busy =
      fold(busy, story::ContactPartner(id, "partner-1", story::Day(2026, 5, 6)),
           "ContactPartner");
  // A deliverable awaiting review, for the review commands.
  const ProjectState reviewing = fold(
      busy, story::SubmitDeliverable(id, v1::DELIVERABLE_KIND_BUSINESS_MODEL),
      "SubmitDeliverable");
  // A hand-off needs the final evaluation.
  const ProjectState evaluated =
      fold(busy, story::RecordEvaluation(id, story::Day(2026, 10, 20)),
           "RecordEvaluation");
  const ProjectState handing_off =
      fold(evaluated,
           story::ProposeHandOff(id, "handoff-1", story::Day(2026, 10, 21)),
           "ProposeHandOff");
  const ProjectState ended =
      fold(busy,
           story::EndContract(id, story::Day(2026, 10, 30),
                              v1::EXIT_OUTCOME_EMPLOYMENT),
           "EndContract");
  return {none, opened, busy, reviewing, evaluated, handing_off, ended};
}

const std::vector<ProjectState>& TheHistory() {
  static const std::vector<ProjectState>* const history =
      new std::vector<ProjectState>(BuildHistory());
  return *history;
}

// A valid request of each type, naming the sub-entities of the history so
// the rules that look them up are reached.
std::vector<std::string> Seeds() {
  const std::string id = kProjectId;
  const v1::Date day = story::Day(2026, 6, 15);
  return {
      Seed(kOpenProject, story::OpenProject(id)),
      Seed(kRecordWorkedDays,
           story::RecordWorkedDays(id, story::Day(2026, 4, 1),
                                   story::Day(2026, 4, 30), 22)),
      Seed(kDraftDeliverable,
           story::DraftDeliverable(id, v1::DELIVERABLE_KIND_BUSINESS_MODEL)),
      Seed(kSubmitDeliverable,
           story::SubmitDeliverable(id, v1::DELIVERABLE_KIND_BUSINESS_MODEL)),
      Seed(kRequestDeliverableChanges,
           story::RequestDeliverableChanges(
               id, v1::DELIVERABLE_KIND_BUSINESS_MODEL)),
      Seed(kValidateDeliverable,
           story::ValidateDeliverable(id, v1::DELIVERABLE_KIND_BUSINESS_MODEL)),
      Seed(kAssignMentor, story::AssignMentor(id, "mentor-2")),
      Seed(kScheduleMentorMeeting,
           story::ScheduleMentorMeeting(id, "meeting-1",
                                        story::Day(2026, 11, 20))),
      Seed(kRecordMentorMeeting,
           story::RecordMentorMeeting(id, "meeting-1", day)),
      Seed(kRecordInterview, story::RecordInterview(id, day)),
      Seed(kLogAction, story::LogAction(id, "action-2")),
      Seed(kPlanMilestone,
           story::PlanMilestone(id, "milestone-2", story::Day(2026, 7, 1),
                                story::Day(2026, 8, 31))),
      Seed(kMoveMilestone,
           story::MoveMilestone(id, "milestone-1", story::Day(2026, 4, 15),
                                story::Day(2026, 7, 15))),
      Seed(kCompleteMilestone,
           story::CompleteMilestone(id, "milestone-1", day)),
      Seed(kRequestResource, story::RequestResource(id, "resource-2")),
      Seed(kDecideResourceRequest,
           story::DecideResourceRequest(id, "resource-1",
                                        v1::RESOURCE_DECISION_GRANTED)),
      Seed(kSubmitFundingApplication,
           story::SubmitFundingApplication(id, "funding-2", day)),
      Seed(kRecordFundingDecision,
           story::RecordFundingDecision(id, "funding-1",
                                        v1::FUNDING_OUTCOME_GRANTED, day)),
      Seed(kContactPartner, story::ContactPartner(id, "partner-2", day)),
      Seed(kAgreePartnership, story::AgreePartnership(id, "partner-1", day)),
      Seed(kPublishCommunication,
           story::PublishCommunication(id, "publication-1",
                                       v1::COMMUNICATION_CHANNEL_WEBSITE, day)),
      Seed(kRecordEvaluation,
           story::RecordEvaluation(id, story::Day(2026, 10, 20))),
      Seed(kProposeHandOff,
           story::ProposeHandOff(id, "handoff-2", story::Day(2026, 10, 22))),
      Seed(kEndContract, story::EndContract(id, story::Day(2026, 10, 30),
                                            v1::EXIT_OUTCOME_EMPLOYMENT)),
      Seed(kCloseProject, story::CloseProject(id)),
      Seed(kAcceptHandOff, story::AcceptHandOff(id, "handoff-1")),
      Seed(kDeclineHandOff, story::DeclineHandOff(id, "handoff-1")),
  };
}

// Validate; when OK, decide against every state of the history and fold.
template <typename Request>
void RunCommand(const Selected& input) {
  Request request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (const ProjectState& state : TheHistory()) {
    FoldAll(state, CheckDecision(project::Decide(state, request, context)));
  }
}

// OpenProject also depends on the candidate: both kinds, every state.
void RunOpenProject(const Selected& input) {
  v1::OpenProjectRequest request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (bool selected : {true, false}) {
    const project::SelectedCandidate candidate = Candidate(selected);
    for (const ProjectState& state : TheHistory()) {
      FoldAll(state, CheckDecision(
                         project::Decide(state, request, candidate, context)));
    }
  }
}

}  // namespace
}  // namespace coopcraft::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  coopcraft::fuzz::SilenceProtobufLogs();
  coopcraft::fuzz::MaybeWriteSeeds(*argc, *argv, coopcraft::fuzz::Seeds());
  coopcraft::fuzz::TheHistory();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace f = ::coopcraft::fuzz;
  f::Selected input;
  if (!f::Select(data, size, f::kRequestTypeCount, &input)) return 0;
  switch (input.type) {
    case f::kOpenProject:
      f::RunOpenProject(input);
      break;
#define COOPCRAFT_FUZZ_CASE(Name)                         \
  case f::k##Name:                                        \
    f::RunCommand<::coopcraft::v1::Name##Request>(input); \
    break;
      COOPCRAFT_FUZZ_PROJECT_COMMANDS(COOPCRAFT_FUZZ_CASE)
#undef COOPCRAFT_FUZZ_CASE
  }
  return 0;
}
