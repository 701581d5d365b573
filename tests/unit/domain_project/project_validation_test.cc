// Field validation of every ProjectService and HandOffService request:
// each bad field yields INVALID_ARGUMENT whose BadRequest names it.
#include "services/api/validation/project_validation.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "coopcraft/v1/handoff_service.pb.h"
#include "coopcraft/v1/project_service.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/api/validation/field_errors.h"
#include "services/api/validation/handoff_validation.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr char kHeader[] = R"pb(
  request_id: "123e4567-e89b-12d3-a456-426614174000"
  project_id: "app-1"
)pb";

// A valid request: the common header followed by `fields`.
template <typename Request>
Request Valid(std::string_view fields) {
  Request request;
  const std::string text = std::string(kHeader) + std::string(fields);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &request))
      << text;
  return request;
}

// Valid requests of every command; each bad case mutates one of them.
v1::OpenProjectRequest OpenProject() {
  return Valid<v1::OpenProjectRequest>(R"pb(
    employing_cpas_id: "cpas-schaerbeek"
    user_organisation_id: "arts-et-publics"
    title: "Museum quest game"
    contract_start_date { year: 2025 month: 9 day: 1 }
    coach_id: "coach-1"
  )pb");
}
v1::RecordWorkedDaysRequest RecordWorkedDays() {
  return Valid<v1::RecordWorkedDaysRequest>(R"pb(
    period_start { year: 2025 month: 9 day: 1 }
    period_end { year: 2025 month: 9 day: 30 }
    days: 20
  )pb");
}
v1::DraftDeliverableRequest DraftDeliverable() {
  return Valid<v1::DraftDeliverableRequest>(R"pb(
    kind: DELIVERABLE_KIND_SWOT
    document_reference: "doc-1"
  )pb");
}
v1::SubmitDeliverableRequest SubmitDeliverable() {
  return Valid<v1::SubmitDeliverableRequest>(R"pb(
    kind: DELIVERABLE_KIND_SWOT
  )pb");
}
v1::RequestDeliverableChangesRequest RequestDeliverableChanges() {
  return Valid<v1::RequestDeliverableChangesRequest>(R"pb(
    kind: DELIVERABLE_KIND_SWOT
    requested_changes: "Add threats."
  )pb");
}
v1::ValidateDeliverableRequest ValidateDeliverable() {
  return Valid<v1::ValidateDeliverableRequest>(R"pb(
    kind: DELIVERABLE_KIND_MARKET_STUDY
  )pb");
}
v1::AssignMentorRequest AssignMentor() {
  return Valid<v1::AssignMentorRequest>(R"pb(
    mentor_id: "mentor-1"
    sector: "video games"
  )pb");
}
v1::ScheduleMentorMeetingRequest ScheduleMentorMeeting() {
  return Valid<v1::ScheduleMentorMeetingRequest>(R"pb(
    meeting_id: "m-1"
    scheduled_for { year: 2026 month: 3 day: 2 }
  )pb");
}
v1::RecordMentorMeetingRequest RecordMentorMeeting() {
  return Valid<v1::RecordMentorMeetingRequest>(R"pb(
    meeting_id: "m-1"
    held_on { year: 2026 month: 2 day: 10 }
    feedback { summary: "Good prototype." }
  )pb");
}
v1::RecordInterviewRequest RecordInterview() {
  return Valid<v1::RecordInterviewRequest>(R"pb(
    held_on { year: 2026 month: 2 day: 10 }
    interviewer_id: "coach-1"
    deliverables_discussed: DELIVERABLE_KIND_SWOT
    deliverables_discussed: DELIVERABLE_KIND_ACTION_PLAN
    notes { summary: "Worked on the SWOT." }
  )pb");
}
v1::LogActionRequest LogAction() {
  return Valid<v1::LogActionRequest>(R"pb(
    action_id: "a-1"
    line: ACTION_LINE_PARTNER_SEARCH
    occurred_on { year: 2026 month: 2 day: 10 }
    title: "Called the museum"
  )pb");
}
v1::PlanMilestoneRequest PlanMilestone() {
  return Valid<v1::PlanMilestoneRequest>(R"pb(
    milestone_id: "ms-1"
    title: "Prototype"
    start_date { year: 2026 month: 3 day: 2 }
    end_date { year: 2026 month: 4 day: 30 }
  )pb");
}
v1::MoveMilestoneRequest MoveMilestone() {
  return Valid<v1::MoveMilestoneRequest>(R"pb(
    milestone_id: "ms-1"
    start_date { year: 2026 month: 3 day: 9 }
    end_date { year: 2026 month: 5 day: 8 }
    reason: "Late equipment."
  )pb");
}
v1::CompleteMilestoneRequest CompleteMilestone() {
  return Valid<v1::CompleteMilestoneRequest>(R"pb(
    milestone_id: "ms-1"
    completed_on { year: 2026 month: 2 day: 10 }
  )pb");
}
v1::RequestResourceRequest RequestResource() {
  return Valid<v1::RequestResourceRequest>(R"pb(
    resource_request_id: "r-1"
    kind: RESOURCE_KIND_EQUIPMENT
    description: "A laptop for development."
    needed_from { year: 2026 month: 3 day: 2 }
  )pb");
}
v1::DecideResourceRequestRequest DecideResourceRequest() {
  return Valid<v1::DecideResourceRequestRequest>(R"pb(
    resource_request_id: "r-1"
    decision: RESOURCE_DECISION_GRANTED
  )pb");
}
v1::SubmitFundingApplicationRequest SubmitFundingApplication() {
  return Valid<v1::SubmitFundingApplicationRequest>(R"pb(
    funding_application_id: "f-1"
    funder: "Fondation Roi Baudouin"
    call_name: "Digital inclusion 2026"
    amount_requested { cents: 1500000 }
    deadline { year: 2026 month: 1 day: 31 }
    submitted_on { year: 2026 month: 1 day: 20 }
  )pb");
}
v1::RecordFundingDecisionRequest RecordFundingDecision() {
  return Valid<v1::RecordFundingDecisionRequest>(R"pb(
    funding_application_id: "f-1"
    outcome: FUNDING_OUTCOME_GRANTED
    amount_granted { cents: 1000000 }
    decided_on { year: 2026 month: 2 day: 12 }
  )pb");
}
v1::ContactPartnerRequest ContactPartner() {
  return Valid<v1::ContactPartnerRequest>(R"pb(
    partner_id: "p-1"
    organisation_name: "Musee des enfants"
    contacted_on { year: 2026 month: 1 day: 12 }
  )pb");
}
v1::AgreePartnershipRequest AgreePartnership() {
  return Valid<v1::AgreePartnershipRequest>(R"pb(
    partner_id: "p-1"
    agreed_on { year: 2026 month: 2 day: 9 }
    terms: "Test sessions."
  )pb");
}
v1::PublishCommunicationRequest PublishCommunication() {
  return Valid<v1::PublishCommunicationRequest>(R"pb(
    publication_id: "pub-1"
    channel: COMMUNICATION_CHANNEL_WEBSITE
    title: "Museum quest is live"
    link: "https://example.org/quest"
    published_on { year: 2026 month: 2 day: 10 }
  )pb");
}
v1::RecordEvaluationRequest RecordEvaluation() {
  auto request = Valid<v1::RecordEvaluationRequest>(R"pb(
    evaluated_on { year: 2026 month: 2 day: 10 }
    autonomy_level: AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS
    narrative { perspectives: "Continue with a partner." }
  )pb");
  for (int kind = 1; kind <= 7; ++kind) {
    auto* assessment = request.add_assessments();
    assessment->set_kind(static_cast<v1::DeliverableKind>(kind));
    assessment->set_situation(v1::DELIVERABLE_SITUATION_COMPLETED);
  }
  return request;
}
v1::ProposeHandOffRequest ProposeHandOff() {
  return Valid<v1::ProposeHandOffRequest>(R"pb(
    handoff_id: "h-1"
    partner_organisation_id: "job-yourself"
    dossier {
      maturity: PROJECT_MATURITY_PILOT
      business_model_summary: "Paid workshops."
      revenue_to_date { cents: 0 }
      consent {
        given: true
        given_on { year: 2026 month: 2 day: 10 }
        reference: "consent-17"
      }
    }
  )pb");
}
v1::EndContractRequest EndContract() {
  return Valid<v1::EndContractRequest>(R"pb(
    ended_on { year: 2026 month: 2 day: 13 }
    exit_outcome: EXIT_OUTCOME_SELF_EMPLOYMENT
  )pb");
}
v1::CloseProjectRequest CloseProject() {
  return Valid<v1::CloseProjectRequest>("");
}
v1::AcceptHandOffRequest AcceptHandOff() {
  return Valid<v1::AcceptHandOffRequest>(R"pb(
    handoff_id: "h-1"
    partner_organisation_id: "job-yourself"
  )pb");
}
v1::DeclineHandOffRequest DeclineHandOff() {
  return Valid<v1::DeclineHandOffRequest>(R"pb(
    handoff_id: "h-1"
    partner_organisation_id: "job-yourself"
    reason: "No coach free."
  )pb");
}

// One bad request and the field (and reason) its BadRequest must name.
struct BadCase {
  std::string name;
  std::function<absl::Status()> validate;
  std::string field;
  std::string reason;
};

template <typename Request>
BadCase Bad(std::string name, Request request,
            const std::function<void(Request&)>& spoil, std::string field,
            std::string reason) {
  spoil(request);
  return BadCase{.name = std::move(name),
                 .validate = [request] { return Validate(request); },
                 .field = std::move(field),
                 .reason = std::move(reason)};
}

// The checks every command shares: request_id and project_id.
template <typename Request>
void AddHeaderCases(std::vector<BadCase>& cases, const std::string& command,
                    const Request& valid) {
  cases.push_back(Bad<Request>(
      command + "_MissingRequestId", valid,
      [](Request& r) { r.clear_request_id(); }, "request_id", "REQUIRED"));
  cases.push_back(Bad<Request>(
      command + "_RequestIdNotUuid", valid,
      [](Request& r) { r.set_request_id("retry-1"); }, "request_id",
      "INVALID_FORMAT"));
  cases.push_back(Bad<Request>(
      command + "_MissingProjectId", valid,
      [](Request& r) { r.clear_project_id(); }, "project_id", "REQUIRED"));
  cases.push_back(Bad<Request>(
      command + "_ProjectIdWithCapitals", valid,
      [](Request& r) { r.set_project_id("App-1"); }, "project_id",
      "INVALID_FORMAT"));
}

const std::string kShortOversize(kMaxShortText + 1, 'x');
const std::string kLongOversize(kMaxLongText + 1, 'x');

void SetDate(v1::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

std::vector<BadCase> AllCases() {
  std::vector<BadCase> c;
#define HEADER(Command) AddHeaderCases(c, #Command, Command())
#define BAD(Command, name, field, reason, ...) \
  c.push_back(Bad<decltype(Command())>(        \
      #Command "_" name, Command(),            \
      [](decltype(Command())& r) { __VA_ARGS__; }, field, reason))

  HEADER(OpenProject);
  BAD(OpenProject, "MissingCpas", "employing_cpas_id", "REQUIRED",
      r.clear_employing_cpas_id());
  BAD(OpenProject, "OrganisationNotAnId", "user_organisation_id",
      "INVALID_FORMAT", r.set_user_organisation_id("Arts&Publics"));
  BAD(OpenProject, "EmptyTitle", "title", "REQUIRED", r.clear_title());
  BAD(OpenProject, "OversizeTitle", "title", "TOO_LONG",
      r.set_title(kShortOversize));
  BAD(OpenProject, "MissingStart", "contract_start_date", "REQUIRED",
      r.clear_contract_start_date());
  BAD(OpenProject, "StartOn30February", "contract_start_date", "INVALID_DATE",
      SetDate(r.mutable_contract_start_date(), 2026, 2, 30));
  BAD(OpenProject, "CoachNotAnId", "coach_id", "INVALID_FORMAT",
      r.set_coach_id("Coach One"));

  HEADER(RecordWorkedDays);
  BAD(RecordWorkedDays, "MissingStart", "period_start", "REQUIRED",
      r.clear_period_start());
  BAD(RecordWorkedDays, "EndInMonth13", "period_end", "INVALID_DATE",
      SetDate(r.mutable_period_end(), 2025, 13, 1));
  BAD(RecordWorkedDays, "NegativeDays", "days", "OUT_OF_RANGE", r.set_days(-1));
  BAD(RecordWorkedDays, "TooManyDays", "days", "OUT_OF_RANGE",
      r.set_days(1001));

  HEADER(DraftDeliverable);
  BAD(DraftDeliverable, "MissingKind", "kind", "REQUIRED", r.clear_kind());
  BAD(DraftDeliverable, "UnknownKind", "kind", "UNKNOWN_ENUM_VALUE",
      r.set_kind(static_cast<v1::DeliverableKind>(99)));
  BAD(DraftDeliverable, "EmptyDocument", "document_reference", "REQUIRED",
      r.clear_document_reference());
  BAD(DraftDeliverable, "OversizeDocument", "document_reference", "TOO_LONG",
      r.set_document_reference(std::string(2049, 'd')));

  HEADER(SubmitDeliverable);
  BAD(SubmitDeliverable, "UnknownKind", "kind", "UNKNOWN_ENUM_VALUE",
      r.set_kind(static_cast<v1::DeliverableKind>(8)));
  BAD(SubmitDeliverable, "ControlCharacterInDocument", "document_reference",
      "INVALID_TEXT", r.set_document_reference("doc\x01"));

  HEADER(RequestDeliverableChanges);
  BAD(RequestDeliverableChanges, "MissingKind", "kind", "REQUIRED",
      r.clear_kind());
  BAD(RequestDeliverableChanges, "BlankChanges", "requested_changes",
      "REQUIRED", r.set_requested_changes("   "));
  BAD(RequestDeliverableChanges, "OversizeChanges", "requested_changes",
      "TOO_LONG", r.set_requested_changes(kLongOversize));

  HEADER(ValidateDeliverable);
  BAD(ValidateDeliverable, "MissingKind", "kind", "REQUIRED", r.clear_kind());

  HEADER(AssignMentor);
  BAD(AssignMentor, "MissingMentor", "mentor_id", "REQUIRED",
      r.clear_mentor_id());
  BAD(AssignMentor, "EmptySector", "sector", "REQUIRED", r.clear_sector());
  BAD(AssignMentor, "AssignedOn31April", "assigned_on", "INVALID_DATE",
      SetDate(r.mutable_assigned_on(), 2026, 4, 31));

  HEADER(ScheduleMentorMeeting);
  BAD(ScheduleMentorMeeting, "MeetingIdWithSpace", "meeting_id",
      "INVALID_FORMAT", r.set_meeting_id("m 1"));
  BAD(ScheduleMentorMeeting, "MissingDate", "scheduled_for", "REQUIRED",
      r.clear_scheduled_for());

  HEADER(RecordMentorMeeting);
  BAD(RecordMentorMeeting, "MissingMeeting", "meeting_id", "REQUIRED",
      r.clear_meeting_id());
  BAD(RecordMentorMeeting, "HeldOn29February2025", "held_on", "INVALID_DATE",
      SetDate(r.mutable_held_on(), 2025, 2, 29));
  BAD(RecordMentorMeeting, "MissingFeedback", "feedback.summary", "REQUIRED",
      r.clear_feedback());
  BAD(RecordMentorMeeting, "OversizeNextSteps", "feedback.next_steps",
      "TOO_LONG", r.mutable_feedback()->set_next_steps(kLongOversize));

  HEADER(RecordInterview);
  BAD(RecordInterview, "MissingDate", "held_on", "REQUIRED", r.clear_held_on());
  BAD(RecordInterview, "MissingInterviewer", "interviewer_id", "REQUIRED",
      r.clear_interviewer_id());
  BAD(RecordInterview, "UnknownDeliverable", "deliverables_discussed[1]",
      "UNKNOWN_ENUM_VALUE",
      r.set_deliverables_discussed(1, static_cast<v1::DeliverableKind>(12)));
  BAD(RecordInterview, "DuplicateDeliverable", "deliverables_discussed[1]",
      "DUPLICATE", r.set_deliverables_discussed(1, v1::DELIVERABLE_KIND_SWOT));
  BAD(RecordInterview, "MissingNotes", "notes.summary", "REQUIRED",
      r.clear_notes());

  HEADER(LogAction);
  BAD(LogAction, "MissingActionId", "action_id", "REQUIRED",
      r.clear_action_id());
  BAD(LogAction, "MissingLine", "line", "REQUIRED", r.clear_line());
  BAD(LogAction, "UnknownLine", "line", "UNKNOWN_ENUM_VALUE",
      r.set_line(static_cast<v1::ActionLine>(42)));
  BAD(LogAction, "DateInYear1800", "occurred_on", "INVALID_DATE",
      SetDate(r.mutable_occurred_on(), 1800, 1, 1));
  BAD(LogAction, "EmptyTitle", "title", "REQUIRED", r.clear_title());
  BAD(LogAction, "OversizeTitle", "title", "TOO_LONG",
      r.set_title(kShortOversize));
  BAD(LogAction, "OversizeDescription", "description", "TOO_LONG",
      r.set_description(kLongOversize));
  BAD(LogAction, "DescriptionNotUtf8", "description", "INVALID_TEXT",
      r.set_description("caf\xe9"));

  HEADER(PlanMilestone);
  BAD(PlanMilestone, "MissingMilestoneId", "milestone_id", "REQUIRED",
      r.clear_milestone_id());
  BAD(PlanMilestone, "EmptyTitle", "title", "REQUIRED", r.clear_title());
  BAD(PlanMilestone, "MissingStart", "start_date", "REQUIRED",
      r.clear_start_date());
  BAD(PlanMilestone, "EndOnDay0", "end_date", "INVALID_DATE",
      SetDate(r.mutable_end_date(), 2026, 4, 0));

  HEADER(MoveMilestone);
  BAD(MoveMilestone, "MissingEnd", "end_date", "REQUIRED", r.clear_end_date());
  BAD(MoveMilestone, "MissingReason", "reason", "REQUIRED", r.clear_reason());

  HEADER(CompleteMilestone);
  BAD(CompleteMilestone, "MilestoneIdStartsWithDash", "milestone_id",
      "INVALID_FORMAT", r.set_milestone_id("-ms"));
  BAD(CompleteMilestone, "MissingDate", "completed_on", "REQUIRED",
      r.clear_completed_on());

  HEADER(RequestResource);
  BAD(RequestResource, "MissingKind", "kind", "REQUIRED", r.clear_kind());
  BAD(RequestResource, "EmptyDescription", "description", "REQUIRED",
      r.clear_description());
  BAD(RequestResource, "MissingNeededFrom", "needed_from", "REQUIRED",
      r.clear_needed_from());
  BAD(RequestResource, "NeededUntil31April", "needed_until", "INVALID_DATE",
      SetDate(r.mutable_needed_until(), 2026, 4, 31));

  HEADER(DecideResourceRequest);
  BAD(DecideResourceRequest, "MissingResourceRequestId", "resource_request_id",
      "REQUIRED", r.clear_resource_request_id());
  BAD(DecideResourceRequest, "MissingDecision", "decision", "REQUIRED",
      r.clear_decision());
  BAD(DecideResourceRequest, "UnknownDecision", "decision",
      "UNKNOWN_ENUM_VALUE",
      r.set_decision(static_cast<v1::ResourceDecision>(7)));
  BAD(DecideResourceRequest, "DeclineWithoutReason", "comment", "REQUIRED",
      r.set_decision(v1::RESOURCE_DECISION_DECLINED));

  HEADER(SubmitFundingApplication);
  BAD(SubmitFundingApplication, "EmptyFunder", "funder", "REQUIRED",
      r.clear_funder());
  BAD(SubmitFundingApplication, "OversizeCallName", "call_name", "TOO_LONG",
      r.set_call_name(kShortOversize));
  BAD(SubmitFundingApplication, "MissingAmount", "amount_requested", "REQUIRED",
      r.clear_amount_requested());
  BAD(SubmitFundingApplication, "ZeroAmount", "amount_requested.cents",
      "OUT_OF_RANGE", r.mutable_amount_requested()->set_cents(0));
  BAD(SubmitFundingApplication, "NegativeAmount", "amount_requested.cents",
      "OUT_OF_RANGE", r.mutable_amount_requested()->set_cents(-5));
  BAD(SubmitFundingApplication, "MissingDeadline", "deadline", "REQUIRED",
      r.clear_deadline());
  BAD(SubmitFundingApplication, "SubmittedInMonth0", "submitted_on",
      "INVALID_DATE", SetDate(r.mutable_submitted_on(), 2026, 0, 10));

  HEADER(RecordFundingDecision);
  BAD(RecordFundingDecision, "MissingOutcome", "outcome", "REQUIRED",
      r.clear_outcome());
  BAD(RecordFundingDecision, "GrantWithoutAmount", "amount_granted", "REQUIRED",
      r.clear_amount_granted());
  BAD(RecordFundingDecision, "AbsurdGrant", "amount_granted.cents",
      "OUT_OF_RANGE", r.mutable_amount_granted()->set_cents(10'000'000'001));
  BAD(RecordFundingDecision, "RefusalWithAmount", "amount_granted",
      "NOT_ALLOWED", r.set_outcome(v1::FUNDING_OUTCOME_REFUSED));
  BAD(RecordFundingDecision, "MissingDate", "decided_on", "REQUIRED",
      r.clear_decided_on());

  HEADER(ContactPartner);
  BAD(ContactPartner, "MissingPartnerId", "partner_id", "REQUIRED",
      r.clear_partner_id());
  BAD(ContactPartner, "EmptyName", "organisation_name", "REQUIRED",
      r.clear_organisation_name());
  BAD(ContactPartner, "MissingDate", "contacted_on", "REQUIRED",
      r.clear_contacted_on());
  BAD(ContactPartner, "OversizePurpose", "purpose", "TOO_LONG",
      r.set_purpose(kLongOversize));

  HEADER(AgreePartnership);
  BAD(AgreePartnership, "AgreedInYear10000", "agreed_on", "INVALID_DATE",
      SetDate(r.mutable_agreed_on(), 10000, 1, 1));
  BAD(AgreePartnership, "EmptyTerms", "terms", "REQUIRED", r.clear_terms());

  HEADER(PublishCommunication);
  BAD(PublishCommunication, "MissingChannel", "channel", "REQUIRED",
      r.clear_channel());
  BAD(PublishCommunication, "WebsiteWithoutLink", "link", "REQUIRED",
      r.clear_link());
  BAD(PublishCommunication, "FtpLink", "link", "INVALID_URL",
      r.set_link("ftp://example.org/quest"));
  BAD(PublishCommunication, "EmptyTitle", "title", "REQUIRED", r.clear_title());
  BAD(PublishCommunication, "MissingDate", "published_on", "REQUIRED",
      r.clear_published_on());

  HEADER(RecordEvaluation);
  BAD(RecordEvaluation, "MissingDate", "evaluated_on", "REQUIRED",
      r.clear_evaluated_on());
  BAD(RecordEvaluation, "UnknownAutonomy", "autonomy_level",
      "UNKNOWN_ENUM_VALUE",
      r.set_autonomy_level(static_cast<v1::AutonomyLevel>(9)));
  BAD(RecordEvaluation, "MissingADeliverable", "assessments",
      "MISSING_DELIVERABLE", r.mutable_assessments()->RemoveLast());
  BAD(RecordEvaluation, "DeliverableTwice", "assessments[6].kind", "DUPLICATE",
      r.mutable_assessments(6)->set_kind(v1::DELIVERABLE_KIND_SWOT));
  BAD(RecordEvaluation, "MissingSituation", "assessments[0].situation",
      "REQUIRED", r.mutable_assessments(0)->clear_situation());
  BAD(RecordEvaluation, "MissingPerspectives", "narrative.perspectives",
      "REQUIRED", r.clear_narrative());

  HEADER(ProposeHandOff);
  BAD(ProposeHandOff, "MissingHandOffId", "handoff_id", "REQUIRED",
      r.clear_handoff_id());
  BAD(ProposeHandOff, "MissingPartner", "partner_organisation_id", "REQUIRED",
      r.clear_partner_organisation_id());
  BAD(ProposeHandOff, "MissingDossier", "dossier", "REQUIRED",
      r.clear_dossier());
  BAD(ProposeHandOff, "MissingMaturity", "dossier.maturity", "REQUIRED",
      r.mutable_dossier()->clear_maturity());
  BAD(ProposeHandOff, "EmptyBusinessModel", "dossier.business_model_summary",
      "REQUIRED", r.mutable_dossier()->clear_business_model_summary());
  BAD(ProposeHandOff, "MissingRevenue", "dossier.revenue_to_date", "REQUIRED",
      r.mutable_dossier()->clear_revenue_to_date());
  BAD(ProposeHandOff, "NegativeRevenue", "dossier.revenue_to_date.cents",
      "OUT_OF_RANGE",
      r.mutable_dossier()->mutable_revenue_to_date()->set_cents(-1));
  BAD(ProposeHandOff, "ConsentWithoutDate", "dossier.consent.given_on",
      "REQUIRED", r.mutable_dossier()->mutable_consent()->clear_given_on());
  BAD(ProposeHandOff, "ConsentWithoutReference", "dossier.consent.reference",
      "REQUIRED", r.mutable_dossier()->mutable_consent()->clear_reference());
  BAD(ProposeHandOff, "UnknownIpStatus", "dossier.intellectual_property.status",
      "UNKNOWN_ENUM_VALUE",
      r.mutable_dossier()->mutable_intellectual_property()->set_status(
          static_cast<v1::IntellectualPropertyStatus>(17)));
  BAD(ProposeHandOff, "AssignedWithoutReference",
      "dossier.intellectual_property.agreement_reference", "REQUIRED",
      r.mutable_dossier()->mutable_intellectual_property()->set_status(
          v1::INTELLECTUAL_PROPERTY_STATUS_ASSIGNED));

  HEADER(EndContract);
  BAD(EndContract, "MissingDate", "ended_on", "REQUIRED", r.clear_ended_on());
  BAD(EndContract, "MissingOutcome", "exit_outcome", "REQUIRED",
      r.clear_exit_outcome());
  BAD(EndContract, "UnknownOutcome", "exit_outcome", "UNKNOWN_ENUM_VALUE",
      r.set_exit_outcome(static_cast<v1::ExitOutcome>(9)));
  BAD(EndContract, "OversizeNotes", "notes.comment", "TOO_LONG",
      r.mutable_notes()->set_comment(kLongOversize));

  HEADER(CloseProject);

  HEADER(AcceptHandOff);
  BAD(AcceptHandOff, "MissingHandOffId", "handoff_id", "REQUIRED",
      r.clear_handoff_id());
  BAD(AcceptHandOff, "PartnerNotAnId", "partner_organisation_id",
      "INVALID_FORMAT", r.set_partner_organisation_id("Job Yourself"));
  BAD(AcceptHandOff, "OversizeComment", "comment", "TOO_LONG",
      r.set_comment(kLongOversize));

  HEADER(DeclineHandOff);
  BAD(DeclineHandOff, "MissingPartner", "partner_organisation_id", "REQUIRED",
      r.clear_partner_organisation_id());
  BAD(DeclineHandOff, "EmptyReason", "reason", "REQUIRED", r.clear_reason());
#undef BAD
#undef HEADER
  return c;
}

class BadRequestTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadRequestTest, IsInvalidArgumentNamingTheField) {
  const BadCase& bad = GetParam();
  const absl::Status status = bad.validate();
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  google::rpc::BadRequest details;
  ASSERT_TRUE(BadRequestOf(status, &details)) << status;
  bool named = false;
  for (const auto& violation : details.field_violations()) {
    if (violation.field() == bad.field && violation.reason() == bad.reason) {
      named = true;
    }
  }
  EXPECT_TRUE(named) << "expected " << bad.field << " " << bad.reason
                     << " in: " << details.ShortDebugString();
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, BadRequestTest,
                         ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return info.param.name;
                         });

TEST(ValidRequestTest, EveryBaseRequestPasses) {
  EXPECT_TRUE(Validate(OpenProject()).ok()) << Validate(OpenProject());
  EXPECT_TRUE(Validate(RecordWorkedDays()).ok());
  EXPECT_TRUE(Validate(DraftDeliverable()).ok());
  EXPECT_TRUE(Validate(SubmitDeliverable()).ok());
  EXPECT_TRUE(Validate(RequestDeliverableChanges()).ok());
  EXPECT_TRUE(Validate(ValidateDeliverable()).ok());
  EXPECT_TRUE(Validate(AssignMentor()).ok());
  EXPECT_TRUE(Validate(ScheduleMentorMeeting()).ok());
  EXPECT_TRUE(Validate(RecordMentorMeeting()).ok());
  EXPECT_TRUE(Validate(RecordInterview()).ok());
  EXPECT_TRUE(Validate(LogAction()).ok());
  EXPECT_TRUE(Validate(PlanMilestone()).ok());
  EXPECT_TRUE(Validate(MoveMilestone()).ok());
  EXPECT_TRUE(Validate(CompleteMilestone()).ok());
  EXPECT_TRUE(Validate(RequestResource()).ok());
  EXPECT_TRUE(Validate(DecideResourceRequest()).ok());
  EXPECT_TRUE(Validate(SubmitFundingApplication()).ok());
  EXPECT_TRUE(Validate(RecordFundingDecision()).ok());
  EXPECT_TRUE(Validate(ContactPartner()).ok());
  EXPECT_TRUE(Validate(AgreePartnership()).ok());
  EXPECT_TRUE(Validate(PublishCommunication()).ok());
  EXPECT_TRUE(Validate(RecordEvaluation()).ok())
      << Validate(RecordEvaluation());
  EXPECT_TRUE(Validate(ProposeHandOff()).ok()) << Validate(ProposeHandOff());
  EXPECT_TRUE(Validate(EndContract()).ok());
  EXPECT_TRUE(Validate(CloseProject()).ok());
  EXPECT_TRUE(Validate(AcceptHandOff()).ok());
  EXPECT_TRUE(Validate(DeclineHandOff()).ok());
}

TEST(ValidRequestTest, PrintNeedsNoLink) {
  v1::PublishCommunicationRequest request = PublishCommunication();
  request.set_channel(v1::COMMUNICATION_CHANNEL_PRINT);
  request.clear_link();
  EXPECT_TRUE(Validate(request).ok());
}

TEST(ValidRequestTest, RefusalNeedsNoAmount) {
  v1::RecordFundingDecisionRequest request = RecordFundingDecision();
  request.set_outcome(v1::FUNDING_OUTCOME_REFUSED);
  request.clear_amount_granted();
  EXPECT_TRUE(Validate(request).ok());
}

TEST(ValidRequestTest, UnstatedIpMeansTheEmployerDefault) {
  v1::ProposeHandOffRequest request = ProposeHandOff();
  request.mutable_dossier()->clear_intellectual_property();
  EXPECT_TRUE(Validate(request).ok());
}

TEST(ValidRequestTest, ConsentNotGivenIsLeftToTheDomainRule) {
  v1::ProposeHandOffRequest request = ProposeHandOff();
  request.mutable_dossier()->clear_consent();
  EXPECT_TRUE(Validate(request).ok());
}

TEST(ValidRequestTest, AMentorIsAssignedWithOrWithoutADay) {
  v1::AssignMentorRequest request = AssignMentor();
  EXPECT_TRUE(Validate(request).ok());
  SetDate(request.mutable_assigned_on(), 2026, 1, 12);
  EXPECT_TRUE(Validate(request).ok()) << Validate(request);
}

TEST(ValidRequestTest, ZeroWorkedDaysIsAnAbsencePeriod) {
  v1::RecordWorkedDaysRequest request = RecordWorkedDays();
  request.set_days(0);
  EXPECT_TRUE(Validate(request).ok());
}

TEST(BadRequestDetailsTest, EveryBadFieldIsNamedAtOnce) {
  v1::LogActionRequest request = LogAction();
  request.clear_action_id();
  request.clear_line();
  request.clear_title();
  google::rpc::BadRequest details;
  ASSERT_TRUE(BadRequestOf(Validate(request), &details));
  std::vector<std::string> fields;
  for (const auto& violation : details.field_violations()) {
    fields.push_back(violation.field());
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"action_id", "line", "title"}));
}

}  // namespace
}  // namespace coopcraft::api
