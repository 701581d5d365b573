// Deliverables (draft -> submitted -> changes requested -> submitted ->
// validated), interviews and the final evaluation. The mentor and its
// meetings are in project_mentor_test.cc.
#include "given_when_then.h"

namespace coopcraft::domain::project::testing {
namespace {

constexpr v1::DeliverableKind kSwot = v1::DELIVERABLE_KIND_SWOT;

template <typename Command>
Command ForKind(v1::DeliverableKind kind) {
  Command command;
  command.set_project_id("app-1");
  command.set_kind(kind);
  return command;
}

v1::DraftDeliverableRequest Draft(v1::DeliverableKind kind = kSwot,
                                  std::string document = "doc-swot-1") {
  auto command = ForKind<v1::DraftDeliverableRequest>(kind);
  command.set_document_reference(document);
  return command;
}
v1::SubmitDeliverableRequest Submit(v1::DeliverableKind kind = kSwot) {
  return ForKind<v1::SubmitDeliverableRequest>(kind);
}
v1::RequestDeliverableChangesRequest AskChanges(
    v1::DeliverableKind kind = kSwot) {
  auto command = ForKind<v1::RequestDeliverableChangesRequest>(kind);
  command.set_requested_changes("Add the threats section.");
  return command;
}
v1::ValidateDeliverableRequest Validate(v1::DeliverableKind kind = kSwot) {
  return ForKind<v1::ValidateDeliverableRequest>(kind);
}

// Past events of one deliverable, at version 1 of "doc-swot-1" unless set.
v1::ProjectEvent Drafted(v1::DeliverableKind kind = kSwot, int version = 1,
                         std::string document = "doc-swot-1") {
  v1::ProjectEvent event;
  auto* drafted = event.mutable_deliverable_drafted();
  drafted->set_project_id("app-1");
  drafted->set_kind(kind);
  drafted->set_document_reference(document);
  drafted->set_version(version);
  *drafted->mutable_drafted_on() = D(2026, 2, 16);
  return event;
}
v1::ProjectEvent Submitted(v1::DeliverableKind kind = kSwot, int version = 1,
                           std::string document = "doc-swot-1") {
  v1::ProjectEvent event;
  auto* submitted = event.mutable_deliverable_submitted();
  submitted->set_project_id("app-1");
  submitted->set_kind(kind);
  submitted->set_document_reference(document);
  submitted->set_version(version);
  *submitted->mutable_submitted_on() = D(2026, 2, 16);
  return event;
}
v1::ProjectEvent ChangesRequested(v1::DeliverableKind kind = kSwot) {
  v1::ProjectEvent event;
  auto* changes = event.mutable_deliverable_changes_requested();
  changes->set_project_id("app-1");
  changes->set_kind(kind);
  changes->set_version(1);
  changes->set_requested_changes("Add the threats section.");
  changes->set_reviewer_id("coach-1");
  *changes->mutable_requested_on() = D(2026, 2, 16);
  return event;
}
v1::ProjectEvent Validated(v1::DeliverableKind kind, int count) {
  v1::ProjectEvent event;
  auto* validated = event.mutable_deliverable_validated();
  validated->set_project_id("app-1");
  validated->set_kind(kind);
  validated->set_version(1);
  validated->set_reviewer_id("coach-1");
  *validated->mutable_validated_on() = D(2026, 2, 16);
  validated->set_validated_count(count);
  validated->set_roadmap_complete(count == 7);
  return event;
}

// --- Deliverables ----------------------------------------------------------

TEST(DeliverableTest, FirstDraftIsVersionOne) {
  Given({Opened()}).When(Draft()).Then({Drafted()});
}

TEST(DeliverableTest, SubmitsTheLatestDraft) {
  Given({Opened(), Drafted()}).When(Submit()).Then({Submitted()});
}

TEST(DeliverableTest, SubmittingANewDocumentIsANewVersion) {
  v1::SubmitDeliverableRequest command = Submit();
  command.set_document_reference("doc-swot-2");
  Given({Opened(), Drafted()})
      .When(command)
      .Then({Submitted(kSwot, 2, "doc-swot-2")});
}

TEST(DeliverableTest, ValidatesASubmittedDeliverable) {
  Given({Opened(), Drafted(), Submitted()})
      .When(Validate())
      .Then({Validated(kSwot, 1)});
}

TEST(DeliverableTest, FullCycleWithRequestedChanges) {
  Given({Opened(), Drafted(), Submitted()})
      .When(AskChanges())
      .Then({ChangesRequested()});
  Given({Opened(), Drafted(), Submitted(), ChangesRequested()})
      .When(Submit())
      .Then({Submitted()});
  Given({Opened(), Drafted(), Submitted(), ChangesRequested(), Submitted()})
      .When(Validate())
      .Then({Validated(kSwot, 1)});
}

TEST(DeliverableTest, ReworkAfterChangesIsTheNextVersion) {
  Given({Opened(), Drafted(), Submitted(), ChangesRequested()})
      .When(Draft(kSwot, "doc-swot-2"))
      .Then({Drafted(kSwot, 2, "doc-swot-2")});
}

TEST(DeliverableTest, SeventhValidationCompletesTheRoadmap) {
  std::vector<v1::ProjectEvent> given = {Opened()};
  int count = 0;
  for (v1::DeliverableKind kind :
       {v1::DELIVERABLE_KIND_DEVELOPMENT_STRATEGY,
        v1::DELIVERABLE_KIND_MARKET_STUDY,
        v1::DELIVERABLE_KIND_PRESENTATION_DOSSIER,
        v1::DELIVERABLE_KIND_TRAINING_PLAN, v1::DELIVERABLE_KIND_ACTION_PLAN,
        v1::DELIVERABLE_KIND_BUSINESS_MODEL}) {
    given.push_back(Drafted(kind));
    given.push_back(Submitted(kind));
    given.push_back(Validated(kind, ++count));
  }
  given.push_back(Drafted());
  given.push_back(Submitted());
  Given(given).When(Validate()).Then({Validated(kSwot, 7)});
}

TEST(DeliverableTest, ValidatedOnlyAfterSubmitted) {
  Given({Opened(), Drafted()})
      .When(Validate())
      .ThenRefuses("DELIVERABLE_NOT_SUBMITTED");
  Given({Opened()}).When(Validate()).ThenRefuses("DELIVERABLE_NOT_SUBMITTED");
  Given({Opened(), Drafted(), Submitted(), ChangesRequested()})
      .When(Validate())
      .ThenRefuses("DELIVERABLE_NOT_SUBMITTED");
}

TEST(DeliverableTest, ChangesOnlyOnASubmittedDeliverable) {
  Given({Opened(), Drafted()})
      .When(AskChanges())
      .ThenRefuses("DELIVERABLE_NOT_SUBMITTED");
}

TEST(DeliverableTest, ValidatedIsFinal) {
  std::vector<v1::ProjectEvent> done = {Opened(), Drafted(), Submitted(),
                                        Validated(kSwot, 1)};
  Given(done).When(Validate()).ThenRefuses("DELIVERABLE_ALREADY_VALIDATED");
  Given(done).When(AskChanges()).ThenRefuses("DELIVERABLE_ALREADY_VALIDATED");
  Given(done).When(Draft()).ThenRefuses("DELIVERABLE_ALREADY_VALIDATED");
  Given(done).When(Submit()).ThenRefuses("DELIVERABLE_ALREADY_VALIDATED");
}

TEST(DeliverableTest, SubmitNeedsADraft) {
  Given({Opened()}).When(Submit()).ThenRefuses("DELIVERABLE_NOT_DRAFTED");
}

TEST(DeliverableTest, SubmittedOnlyOnceUntilReviewed) {
  Given({Opened(), Drafted(), Submitted()})
      .When(Submit())
      .ThenRefuses("DELIVERABLE_ALREADY_SUBMITTED");
}

TEST(DeliverableTest, NoReworkWhileUnderReview) {
  Given({Opened(), Drafted(), Submitted()})
      .When(Draft())
      .ThenRefuses("DELIVERABLE_UNDER_REVIEW");
}

TEST(DeliverableTest, DraftingNeedsAStartedContract) {
  Given({Opened()})
      .On(Today(2025, 8, 20))
      .When(Draft())
      .ThenRefuses("CONTRACT_NOT_STARTED");
}

TEST(DeliverableTest, NoDraftingAfterTheContractEnded) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(Draft())
      .ThenRefuses("CONTRACT_ENDED");
}

TEST(DeliverableTest, ReviewStillPossibleAfterTheContractEnded) {
  Given({Opened(), Drafted(), Submitted(), EndedOn(2026, 1, 30)})
      .When(Validate())
      .Then({Validated(kSwot, 1)});
}

TEST(DeliverableTest, UnknownKindIsInvalidArgument) {
  Given({Opened()})
      .When(Draft(static_cast<v1::DeliverableKind>(42)))
      .ThenFails(absl::StatusCode::kInvalidArgument, "kind");
}

// --- Interviews ------------------------------------------------------------

TEST(InterviewTest, RecordsAnInterviewWithPersonalNotes) {
  Given({Opened()})
      .When(Cmd<v1::RecordInterviewRequest>(R"pb(
        project_id: "app-1"
        held_on { year: 2026 month: 2 day: 12 }
        interviewer_id: "coach-1"
        deliverables_discussed: DELIVERABLE_KIND_SWOT
        notes { summary: "Worked on the SWOT." }
      )pb"))
      .Then({Event(R"pb(
        interview_recorded {
          project_id: "app-1"
          held_on { year: 2026 month: 2 day: 12 }
          interviewer_id: "coach-1"
          deliverables_discussed: DELIVERABLE_KIND_SWOT
          notes { summary: "Worked on the SWOT." }
        }
      )pb")});
}

TEST(InterviewTest, RefusesAnInterviewBeforeTheContract) {
  Given({Opened()})
      .When(Cmd<v1::RecordInterviewRequest>(R"pb(
        project_id: "app-1"
        held_on { year: 2025 month: 8 day: 1 }
      )pb"))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

// --- Evaluation ------------------------------------------------------------

v1::RecordEvaluationRequest Evaluate(v1::Date on) {
  v1::RecordEvaluationRequest command;
  command.set_project_id("app-1");
  *command.mutable_evaluated_on() = on;
  command.set_autonomy_level(v1::AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS);
  for (int kind = 1; kind <= 7; ++kind) {
    auto* assessment = command.add_assessments();
    assessment->set_kind(static_cast<v1::DeliverableKind>(kind));
    assessment->set_situation(v1::DELIVERABLE_SITUATION_IN_PROGRESS);
    // A client-supplied status is ignored: the project knows better.
    assessment->set_status(v1::DELIVERABLE_STATUS_VALIDATED);
  }
  command.mutable_narrative()->set_perspectives("Continue with a partner.");
  return command;
}

TEST(EvaluationTest, RecordsTheSituationOfEveryDeliverable) {
  auto events = Given({Opened(), WorkedSeptember(), Drafted()})
                    .When(Evaluate(D(2026, 2, 12)))
                    .Events();
  ASSERT_EQ(events.size(), 1u);
  const v1::EvaluationRecorded& evaluation = events[0].evaluation_recorded();
  ASSERT_EQ(evaluation.assessments_size(), 7);
  EXPECT_EQ(evaluation.assessments(kSwot - 1).status(),
            v1::DELIVERABLE_STATUS_DRAFT);
  EXPECT_EQ(evaluation.assessments(0).status(),
            v1::DELIVERABLE_STATUS_NOT_STARTED);
  EXPECT_EQ(evaluation.worked_days(), 20);
  EXPECT_EQ(evaluation.target_worked_days(), 312);
  EXPECT_EQ(evaluation.narrative().perspectives(), "Continue with a partner.");
}

TEST(EvaluationTest, NeedsAStartedContract) {
  Given({Opened()})
      .On(Today(2025, 8, 29))
      .When(Evaluate(D(2025, 8, 29)))
      .ThenRefuses("CONTRACT_NOT_STARTED");
}

TEST(EvaluationTest, OnTheStartDateTheContractHasStarted) {
  EXPECT_EQ(Given({Opened()})
                .On(Today(2025, 9, 1))
                .When(Evaluate(D(2025, 9, 1)))
                .Events()
                .size(),
            1u);
}

TEST(EvaluationTest, RefusesAnEvaluationInTheFuture) {
  Given({Opened()})
      .When(Evaluate(D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(EvaluationTest, IsRecordedOnce) {
  Given({Opened(), Event(R"pb(evaluation_recorded {
                                project_id: "app-1"
                                autonomy_level: AUTONOMY_LEVEL_AUTONOMOUS
                              })pb")})
      .When(Evaluate(D(2026, 2, 12)))
      .ThenRefuses("EVALUATION_ALREADY_RECORDED");
}

}  // namespace
}  // namespace coopcraft::domain::project::testing
