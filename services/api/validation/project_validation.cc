// Field-level checks of ProjectService requests.
#include "services/api/validation/project_validation.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "coopcraft/v1/project_events.pb.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

// Upper bound for any amount of money, in cents (100 million euro): far
// above any real grant, low enough to keep sums far from overflow.
constexpr int64_t kMaxMoneyCents = 10'000'000'000;
// Longest document reference or link accepted.
constexpr size_t kMaxReferenceLength = 2048;
// Most worked days one period may carry; the domain then holds it to the
// Monday-to-Saturday days of the period (six-day regime).
constexpr int64_t kMaxWorkedDaysPerPeriod = 1000;

// Every command names its request and its project.
template <typename Request>
FieldErrors CommandErrors(const Request& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("project_id", request.project_id());
  return errors;
}

void OptionalId(FieldErrors& errors, const std::string& field,
                const std::string& value) {
  if (!value.empty()) errors.RequireId(field, value);
}

void OptionalDate(FieldErrors& errors, const std::string& field, bool has_value,
                  const v1::Date& value) {
  if (has_value) errors.RequireDate(field, true, value);
}

// A required amount between `min` and kMaxMoneyCents cents.
void RequireMoney(FieldErrors& errors, const std::string& field, bool has_value,
                  const v1::Money& value, int64_t min) {
  if (!has_value) {
    errors.Add(field, "is required", "REQUIRED");
    return;
  }
  errors.RequireRange(absl::StrCat(field, ".cents"), value.cents(), min,
                      kMaxMoneyCents);
}

void RequireKind(FieldErrors& errors, const std::string& field, int kind) {
  errors.RequireEnum(field, kind, v1::DeliverableKind_descriptor());
}

}  // namespace

absl::Status Validate(const v1::OpenProjectRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("employing_cpas_id", request.employing_cpas_id());
  errors.RequireId("user_organisation_id", request.user_organisation_id());
  errors.RequireText("title", request.title(), kMaxShortText);
  errors.RequireDate("contract_start_date", request.has_contract_start_date(),
                     request.contract_start_date());
  OptionalId(errors, "coach_id", request.coach_id());
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordWorkedDaysRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireDate("period_start", request.has_period_start(),
                     request.period_start());
  errors.RequireDate("period_end", request.has_period_end(),
                     request.period_end());
  errors.RequireRange("days", request.days(), 0, kMaxWorkedDaysPerPeriod);
  return errors.ToStatus();
}

absl::Status Validate(const v1::DraftDeliverableRequest& request) {
  FieldErrors errors = CommandErrors(request);
  RequireKind(errors, "kind", request.kind());
  errors.RequireText("document_reference", request.document_reference(),
                     kMaxReferenceLength);
  return errors.ToStatus();
}

absl::Status Validate(const v1::SubmitDeliverableRequest& request) {
  FieldErrors errors = CommandErrors(request);
  RequireKind(errors, "kind", request.kind());
  errors.OptionalText("document_reference", request.document_reference(),
                      kMaxReferenceLength);
  return errors.ToStatus();
}

absl::Status Validate(const v1::RequestDeliverableChangesRequest& request) {
  FieldErrors errors = CommandErrors(request);
  RequireKind(errors, "kind", request.kind());
  errors.RequireText("requested_changes", request.requested_changes(),
                     kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::ValidateDeliverableRequest& request) {
  FieldErrors errors = CommandErrors(request);
  RequireKind(errors, "kind", request.kind());
  return errors.ToStatus();
}

absl::Status Validate(const v1::AssignMentorRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("mentor_id", request.mentor_id());
  errors.RequireText("sector", request.sector(), kMaxShortText);
  OptionalDate(errors, "assigned_on", request.has_assigned_on(),
               request.assigned_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::ScheduleMentorMeetingRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("meeting_id", request.meeting_id());
  errors.RequireDate("scheduled_for", request.has_scheduled_for(),
                     request.scheduled_for());
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordMentorMeetingRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("meeting_id", request.meeting_id());
  errors.RequireDate("held_on", request.has_held_on(), request.held_on());
  // A meeting without feedback teaches the programme nothing.
  errors.RequireText("feedback.summary", request.feedback().summary(),
                     kMaxLongText);
  errors.OptionalText("feedback.next_steps", request.feedback().next_steps(),
                      kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordInterviewRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireDate("held_on", request.has_held_on(), request.held_on());
  errors.RequireId("interviewer_id", request.interviewer_id());
  std::set<int> seen;
  for (int i = 0; i < request.deliverables_discussed_size(); ++i) {
    const std::string field = absl::StrCat("deliverables_discussed[", i, "]");
    const int kind = request.deliverables_discussed(i);
    RequireKind(errors, field, kind);
    if (!seen.insert(kind).second) {
      errors.Add(field, "lists a deliverable twice", "DUPLICATE");
    }
  }
  errors.RequireText("notes.summary", request.notes().summary(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::LogActionRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("action_id", request.action_id());
  errors.RequireEnum("line", request.line(), v1::ActionLine_descriptor());
  errors.RequireDate("occurred_on", request.has_occurred_on(),
                     request.occurred_on());
  errors.RequireText("title", request.title(), kMaxShortText);
  errors.OptionalText("description", request.description(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::PlanMilestoneRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("milestone_id", request.milestone_id());
  errors.RequireText("title", request.title(), kMaxShortText);
  errors.RequireDate("start_date", request.has_start_date(),
                     request.start_date());
  errors.RequireDate("end_date", request.has_end_date(), request.end_date());
  return errors.ToStatus();
}

absl::Status Validate(const v1::MoveMilestoneRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("milestone_id", request.milestone_id());
  errors.RequireDate("start_date", request.has_start_date(),
                     request.start_date());
  errors.RequireDate("end_date", request.has_end_date(), request.end_date());
  errors.RequireText("reason", request.reason(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::CompleteMilestoneRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("milestone_id", request.milestone_id());
  errors.RequireDate("completed_on", request.has_completed_on(),
                     request.completed_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::RequestResourceRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("resource_request_id", request.resource_request_id());
  errors.RequireEnum("kind", request.kind(), v1::ResourceKind_descriptor());
  errors.RequireText("description", request.description(), kMaxLongText);
  errors.RequireDate("needed_from", request.has_needed_from(),
                     request.needed_from());
  OptionalDate(errors, "needed_until", request.has_needed_until(),
               request.needed_until());
  return errors.ToStatus();
}

absl::Status Validate(const v1::DecideResourceRequestRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("resource_request_id", request.resource_request_id());
  errors.RequireEnum("decision", request.decision(),
                     v1::ResourceDecision_descriptor());
  // A refusal must say why; conditions of a grant are optional.
  if (request.decision() == v1::RESOURCE_DECISION_DECLINED) {
    errors.RequireText("comment", request.comment(), kMaxLongText);
  } else {
    errors.OptionalText("comment", request.comment(), kMaxLongText);
  }
  return errors.ToStatus();
}

absl::Status Validate(const v1::SubmitFundingApplicationRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("funding_application_id", request.funding_application_id());
  errors.RequireText("funder", request.funder(), kMaxShortText);
  errors.RequireText("call_name", request.call_name(), kMaxShortText);
  RequireMoney(errors, "amount_requested", request.has_amount_requested(),
               request.amount_requested(), 1);
  errors.RequireDate("deadline", request.has_deadline(), request.deadline());
  errors.RequireDate("submitted_on", request.has_submitted_on(),
                     request.submitted_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordFundingDecisionRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("funding_application_id", request.funding_application_id());
  errors.RequireEnum("outcome", request.outcome(),
                     v1::FundingOutcome_descriptor());
  if (request.outcome() == v1::FUNDING_OUTCOME_GRANTED) {
    RequireMoney(errors, "amount_granted", request.has_amount_granted(),
                 request.amount_granted(), 1);
  } else if (request.outcome() == v1::FUNDING_OUTCOME_REFUSED &&
             request.has_amount_granted()) {
    errors.Add("amount_granted", "must be unset when the funder refused",
               "NOT_ALLOWED");
  }
  errors.RequireDate("decided_on", request.has_decided_on(),
                     request.decided_on());
  errors.OptionalText("reason", request.reason(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::ContactPartnerRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("partner_id", request.partner_id());
  errors.RequireText("organisation_name", request.organisation_name(),
                     kMaxShortText);
  errors.RequireDate("contacted_on", request.has_contacted_on(),
                     request.contacted_on());
  errors.OptionalText("purpose", request.purpose(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::AgreePartnershipRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("partner_id", request.partner_id());
  errors.RequireDate("agreed_on", request.has_agreed_on(), request.agreed_on());
  errors.RequireText("terms", request.terms(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::PublishCommunicationRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("publication_id", request.publication_id());
  errors.RequireEnum("channel", request.channel(),
                     v1::CommunicationChannel_descriptor());
  errors.RequireText("title", request.title(), kMaxShortText);
  // Web pages and posts are found by their link; print may have none.
  const bool online =
      request.channel() == v1::COMMUNICATION_CHANNEL_WEBSITE ||
      request.channel() == v1::COMMUNICATION_CHANNEL_SOCIAL_NETWORK;
  if (online && request.link().empty()) {
    errors.Add("link", "is required for a website or social-network post",
               "REQUIRED");
  } else {
    errors.OptionalUrl("link", request.link());
  }
  errors.RequireDate("published_on", request.has_published_on(),
                     request.published_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordEvaluationRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireDate("evaluated_on", request.has_evaluated_on(),
                     request.evaluated_on());
  errors.RequireEnum("autonomy_level", request.autonomy_level(),
                     v1::AutonomyLevel_descriptor());
  // The evaluation shows every deliverable's situation: exactly one
  // assessment for each of the seven kinds.
  std::set<int> seen;
  for (int i = 0; i < request.assessments_size(); ++i) {
    const v1::DeliverableAssessment& assessment = request.assessments(i);
    const std::string prefix = absl::StrCat("assessments[", i, "]");
    RequireKind(errors, absl::StrCat(prefix, ".kind"), assessment.kind());
    if (!seen.insert(assessment.kind()).second) {
      errors.Add(absl::StrCat(prefix, ".kind"),
                 "assesses a deliverable already assessed", "DUPLICATE");
    }
    errors.RequireEnum(absl::StrCat(prefix, ".situation"),
                       assessment.situation(),
                       v1::DeliverableSituation_descriptor());
  }
  std::vector<std::string> missing;
  for (int kind = v1::DELIVERABLE_KIND_DEVELOPMENT_STRATEGY;
       kind <= v1::DELIVERABLE_KIND_BUSINESS_MODEL; ++kind) {
    if (!seen.contains(kind)) {
      missing.push_back(
          v1::DeliverableKind_Name(static_cast<v1::DeliverableKind>(kind)));
    }
  }
  if (!missing.empty()) {
    errors.Add("assessments",
               absl::StrCat("must assess every deliverable; missing ",
                            absl::StrJoin(missing, ", ")),
               "MISSING_DELIVERABLE");
  }
  errors.RequireText("narrative.perspectives",
                     request.narrative().perspectives(), kMaxLongText);
  errors.OptionalText("narrative.comment", request.narrative().comment(),
                      kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::ProposeHandOffRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireId("handoff_id", request.handoff_id());
  errors.RequireId("partner_organisation_id",
                   request.partner_organisation_id());
  if (!request.has_dossier()) {
    errors.Add("dossier", "is required", "REQUIRED");
    return errors.ToStatus();
  }
  const v1::HandOffDossier& dossier = request.dossier();
  errors.RequireEnum("dossier.maturity", dossier.maturity(),
                     v1::ProjectMaturity_descriptor());
  errors.RequireText("dossier.business_model_summary",
                     dossier.business_model_summary(), kMaxLongText);
  RequireMoney(errors, "dossier.revenue_to_date", dossier.has_revenue_to_date(),
               dossier.revenue_to_date(), 0);
  // Consent that is not given is a programme rule (the domain refuses the
  // hand-off); consent that is given must say when and where it is kept.
  const v1::ShareConsent& consent = dossier.consent();
  if (consent.given()) {
    errors.RequireDate("dossier.consent.given_on", consent.has_given_on(),
                       consent.given_on());
    errors.RequireText("dossier.consent.reference", consent.reference(),
                       kMaxShortText);
  }
  const v1::IntellectualProperty& ip = dossier.intellectual_property();
  // UNSPECIFIED is allowed: it means the employer default.
  if (!v1::IntellectualPropertyStatus_IsValid(ip.status())) {
    errors.Add(
        "dossier.intellectual_property.status",
        absl::StrCat(ip.status(), " is not a known IntellectualPropertyStatus"),
        "UNKNOWN_ENUM_VALUE");
  }
  if (ip.status() == v1::INTELLECTUAL_PROPERTY_STATUS_ASSIGNED ||
      ip.status() == v1::INTELLECTUAL_PROPERTY_STATUS_LICENSED) {
    errors.RequireText("dossier.intellectual_property.agreement_reference",
                       ip.agreement_reference(), kMaxShortText);
  } else {
    errors.OptionalText("dossier.intellectual_property.agreement_reference",
                        ip.agreement_reference(), kMaxShortText);
  }
  return errors.ToStatus();
}

absl::Status Validate(const v1::EndContractRequest& request) {
  FieldErrors errors = CommandErrors(request);
  errors.RequireDate("ended_on", request.has_ended_on(), request.ended_on());
  errors.RequireEnum("exit_outcome", request.exit_outcome(),
                     v1::ExitOutcome_descriptor());
  errors.OptionalText("notes.comment", request.notes().comment(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::CloseProjectRequest& request) {
  return CommandErrors(request).ToStatus();
}

}  // namespace coopcraft::api
