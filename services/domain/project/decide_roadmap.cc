// Rules of coaching: the seven roadmap deliverables, the mentor and its two
// meetings, individual interviews and the final evaluation.
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_rules.h"

namespace coopcraft::domain::project {

namespace v1 = ::coopcraft::v1;
using rules::One;

namespace {

std::string KindName(v1::DeliverableKind kind) {
  return v1::DeliverableKind_Name(kind);
}

// The refusal for a deliverable that is not waiting for review.
absl::Status RequireSubmitted(const DeliverableRecord& record,
                              v1::DeliverableKind kind) {
  if (record.status == v1::DELIVERABLE_STATUS_SUBMITTED) {
    return absl::OkStatus();
  }
  if (record.status == v1::DELIVERABLE_STATUS_VALIDATED) {
    return RuleViolation("DELIVERABLE_ALREADY_VALIDATED",
                         absl::StrCat(KindName(kind), " is already validated"));
  }
  return RuleViolation(
      "DELIVERABLE_NOT_SUBMITTED",
      absl::StrCat(KindName(kind),
                   " is reviewed only after it was submitted; it is ",
                   v1::DeliverableStatus_Name(record.status)));
}

// "MEETING_BEFORE_MENTOR_ASSIGNED": a meeting with a mentor dated before
// that mentor was assigned. An unset `assigned_on` bounds nothing.
absl::Status RequireMentorAssignedBy(const v1::Date& date,
                                     const v1::Date& assigned_on,
                                     absl::string_view what) {
  if (IsValidDate(assigned_on) && DateBefore(date, assigned_on)) {
    return RuleViolation("MEETING_BEFORE_MENTOR_ASSIGNED",
                         absl::StrCat(what, " on ", FormatDate(date),
                                      " is before its mentor was assigned on ",
                                      FormatDate(assigned_on)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::DraftDeliverableRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(rules::RequireKnownKind(command.kind()));
  RETURN_IF_ERROR(
      rules::RequireContractStarted(state, context, "drafting a deliverable"));
  RETURN_IF_ERROR(
      rules::RequireContractNotEnded(state, "drafting a deliverable"));
  const DeliverableRecord& record = state.deliverable(command.kind());
  if (record.status == v1::DELIVERABLE_STATUS_SUBMITTED) {
    return RuleViolation(
        "DELIVERABLE_UNDER_REVIEW",
        absl::StrCat(KindName(command.kind()),
                     " is submitted; wait for the review before reworking it"));
  }
  if (record.status == v1::DELIVERABLE_STATUS_VALIDATED) {
    return RuleViolation(
        "DELIVERABLE_ALREADY_VALIDATED",
        absl::StrCat(KindName(command.kind()), " is already validated"));
  }
  v1::ProjectEvent event;
  v1::DeliverableDrafted* drafted = event.mutable_deliverable_drafted();
  drafted->set_project_id(state.project_id);
  drafted->set_kind(command.kind());
  drafted->set_document_reference(command.document_reference());
  drafted->set_version(record.version + 1);
  *drafted->mutable_drafted_on() = context.today;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::SubmitDeliverableRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(rules::RequireKnownKind(command.kind()));
  RETURN_IF_ERROR(rules::RequireContractStarted(state, context,
                                                "submitting a deliverable"));
  RETURN_IF_ERROR(
      rules::RequireContractNotEnded(state, "submitting a deliverable"));
  const DeliverableRecord& record = state.deliverable(command.kind());
  switch (record.status) {
    case v1::DELIVERABLE_STATUS_DRAFT:
    case v1::DELIVERABLE_STATUS_CHANGES_REQUESTED:
      break;
    case v1::DELIVERABLE_STATUS_SUBMITTED:
      return RuleViolation(
          "DELIVERABLE_ALREADY_SUBMITTED",
          absl::StrCat(KindName(command.kind()), " is already submitted"));
    case v1::DELIVERABLE_STATUS_VALIDATED:
      return RuleViolation(
          "DELIVERABLE_ALREADY_VALIDATED",
          absl::StrCat(KindName(command.kind()), " is already validated"));
    default:
      return RuleViolation(
          "DELIVERABLE_NOT_DRAFTED",
          absl::StrCat(KindName(command.kind()),
                       " has no draft to submit; draft it first"));
  }
  // A new document submitted directly is a new version; otherwise the
  // latest draft is what the coach reviews.
  const bool new_document =
      !command.document_reference().empty() &&
      command.document_reference() != record.document_reference;
  v1::ProjectEvent event;
  v1::DeliverableSubmitted* submitted = event.mutable_deliverable_submitted();
  submitted->set_project_id(state.project_id);
  submitted->set_kind(command.kind());
  submitted->set_document_reference(new_document ? command.document_reference()
                                                 : record.document_reference);
  submitted->set_version(new_document ? record.version + 1 : record.version);
  *submitted->mutable_submitted_on() = context.today;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state,
    const v1::RequestDeliverableChangesRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(rules::RequireKnownKind(command.kind()));
  const DeliverableRecord& record = state.deliverable(command.kind());
  RETURN_IF_ERROR(RequireSubmitted(record, command.kind()));
  v1::ProjectEvent event;
  v1::DeliverableChangesRequested* changes =
      event.mutable_deliverable_changes_requested();
  changes->set_project_id(state.project_id);
  changes->set_kind(command.kind());
  changes->set_version(record.version);
  changes->set_requested_changes(command.requested_changes());
  changes->set_reviewer_id(context.actor);
  *changes->mutable_requested_on() = context.today;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::ValidateDeliverableRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(rules::RequireKnownKind(command.kind()));
  const DeliverableRecord& record = state.deliverable(command.kind());
  RETURN_IF_ERROR(RequireSubmitted(record, command.kind()));
  const int32_t validated = state.validated_deliverables() + 1;
  v1::ProjectEvent event;
  v1::DeliverableValidated* done = event.mutable_deliverable_validated();
  done->set_project_id(state.project_id);
  done->set_kind(command.kind());
  done->set_version(record.version);
  done->set_reviewer_id(context.actor);
  *done->mutable_validated_on() = context.today;
  done->set_validated_count(validated);
  done->set_roadmap_complete(validated == 7);
  return One(std::move(event));
}

// Replacing a mentor does not undo the meetings held with the previous one:
// they still count toward the two required meetings, because the
// requirement is that the participant was mentored, not by whom. A meeting
// scheduled with the previous mentor keeps that mentor and that mentor's
// assignment day (see RecordMentorMeeting); new meetings are with the new
// mentor from its assignment day on.
absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::AssignMentorRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  // Without a day the assignment is dated when it is recorded, as before the
  // request could name one; a day lets a coach record it late.
  const v1::Date& assigned_on =
      command.has_assigned_on() ? command.assigned_on() : context.today;
  // The current mentor again, with an earlier day, corrects the day of the
  // assignment: one recorded late without a day (and every one recorded
  // before the request could name a day) carries the day it was recorded,
  // which would otherwise refuse the real meetings held before it. Only an
  // earlier day: a later one could leave meetings already held before it.
  const bool same_mentor = command.mentor_id() == state.mentor_id;
  const bool redated = same_mentor && command.has_assigned_on() &&
                       DateBefore(assigned_on, state.mentor_assigned_on);
  if (same_mentor && !redated) {
    return RuleViolation(
        "MENTOR_ALREADY_ASSIGNED",
        absl::StrCat("mentor ", command.mentor_id(),
                     " is already assigned; only an earlier assigned_on "
                     "corrects the day of the assignment"));
  }
  if (redated && IsValidDate(state.previous_mentor_assigned_on) &&
      DateBefore(assigned_on, state.previous_mentor_assigned_on)) {
    return RuleViolation(
        "MENTOR_REPLACED_BEFORE_ASSIGNED",
        absl::StrCat("mentor ", state.mentor_id,
                     " replaced a mentor assigned on ",
                     FormatDate(state.previous_mentor_assigned_on),
                     " and cannot be dated ", FormatDate(assigned_on)));
  }
  // Bounded by the contract start, not by the day the project was opened:
  // opening is when the coach recorded the project (possibly late, and the
  // state does not keep that day), the contract start is when the
  // participant entered the programme, and no meeting can precede it.
  // Bounded by the contract end like any other past work, not refused once
  // the contract ended: an assignment during the contract recorded (or
  // corrected) afterwards is what lets its meetings be recorded late too.
  RETURN_IF_ERROR(
      rules::RequireWorkDate(state, assigned_on, context, "the assignment"));
  // Mentors follow one another: a replacement dated before the current
  // mentor's assignment would have the new mentor replace one not yet there.
  if (!state.mentor_id.empty() && !redated &&
      DateBefore(assigned_on, state.mentor_assigned_on)) {
    return RuleViolation(
        "MENTOR_REPLACED_BEFORE_ASSIGNED",
        absl::StrCat("mentor ", state.mentor_id, " was assigned on ",
                     FormatDate(state.mentor_assigned_on),
                     " and cannot be replaced on ", FormatDate(assigned_on)));
  }
  v1::ProjectEvent event;
  v1::MentorAssigned* assigned = event.mutable_mentor_assigned();
  assigned->set_project_id(state.project_id);
  assigned->set_mentor_id(command.mentor_id());
  assigned->set_sector(command.sector());
  assigned->set_previous_mentor_id(state.mentor_id);
  *assigned->mutable_assigned_on() = assigned_on;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::ScheduleMentorMeetingRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  if (state.mentor_id.empty()) {
    return RuleViolation("MENTOR_NOT_ASSIGNED",
                         "a mentor meeting needs an assigned mentor");
  }
  RETURN_IF_ERROR(
      rules::RequireContractNotEnded(state, "scheduling a mentor meeting"));
  if (state.mentor_meetings.contains(command.meeting_id())) {
    return RuleViolation(
        "MENTOR_MEETING_ALREADY_EXISTS",
        absl::StrCat("meeting ", command.meeting_id(), " already exists"));
  }
  const v1::Date& date = command.scheduled_for();
  RETURN_IF_ERROR(rules::RequireNotBeforeStart(state, date, "the meeting"));
  if (DateBefore(date, context.today)) {
    return RuleViolation(
        "MEETING_SCHEDULED_IN_PAST",
        absl::StrCat("a meeting is scheduled from today (",
                     FormatDate(context.today),
                     ") on; record a past meeting with RecordMentorMeeting"));
  }
  // Implied by the rules above while assignments are never dated after
  // today; checked anyway because "today" is the deciding server's clock,
  // and the one that recorded the assignment may have been ahead.
  RETURN_IF_ERROR(
      RequireMentorAssignedBy(date, state.mentor_assigned_on, "the meeting"));
  v1::ProjectEvent event;
  v1::MentorMeetingScheduled* scheduled =
      event.mutable_mentor_meeting_scheduled();
  scheduled->set_project_id(state.project_id);
  scheduled->set_meeting_id(command.meeting_id());
  scheduled->set_mentor_id(state.mentor_id);
  *scheduled->mutable_scheduled_for() = date;
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(
    const ProjectState& state, const v1::RecordMentorMeetingRequest& command,
    const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  if (state.mentor_id.empty()) {
    return RuleViolation("MENTOR_NOT_ASSIGNED",
                         "a mentor meeting needs an assigned mentor");
  }
  // A scheduled meeting keeps the mentor it was scheduled with, even if the
  // mentor changed since; an unscheduled one is with the current mentor.
  // Either way the meeting cannot predate that mentor's assignment.
  std::string mentor_id = state.mentor_id;
  v1::Date mentor_assigned_on = state.mentor_assigned_on;
  if (auto it = state.mentor_meetings.find(command.meeting_id());
      it != state.mentor_meetings.end()) {
    if (it->second.held) {
      return RuleViolation("MENTOR_MEETING_ALREADY_HELD",
                           absl::StrCat("meeting ", command.meeting_id(),
                                        " is already recorded as held"));
    }
    mentor_id = it->second.mentor_id;
    mentor_assigned_on = it->second.mentor_assigned_on;
  }
  RETURN_IF_ERROR(
      rules::RequireWorkDate(state, command.held_on(), context, "the meeting"));
  RETURN_IF_ERROR(RequireMentorAssignedBy(command.held_on(), mentor_assigned_on,
                                          "the meeting"));
  const int32_t held = state.mentor_meetings_held + 1;
  v1::ProjectEvent event;
  v1::MentorMeetingHeld* meeting = event.mutable_mentor_meeting_held();
  meeting->set_project_id(state.project_id);
  meeting->set_meeting_id(command.meeting_id());
  meeting->set_mentor_id(mentor_id);
  *meeting->mutable_held_on() = command.held_on();
  meeting->set_meetings_held(held);
  meeting->set_requirement_met(held >= kRequiredMentorMeetings);
  if (command.has_feedback()) *meeting->mutable_feedback() = command.feedback();
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::RecordInterviewRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  RETURN_IF_ERROR(rules::RequireWorkDate(state, command.held_on(), context,
                                         "the interview"));
  v1::ProjectEvent event;
  v1::InterviewRecorded* interview = event.mutable_interview_recorded();
  interview->set_project_id(state.project_id);
  *interview->mutable_held_on() = command.held_on();
  interview->set_interviewer_id(command.interviewer_id());
  *interview->mutable_deliverables_discussed() =
      command.deliverables_discussed();
  if (command.has_notes()) *interview->mutable_notes() = command.notes();
  return One(std::move(event));
}

absl::StatusOr<ProjectEvents> Decide(const ProjectState& state,
                                     const v1::RecordEvaluationRequest& command,
                                     const DecisionContext& context) {
  RETURN_IF_ERROR(rules::RequireOpen(state));
  const v1::Date& date = command.evaluated_on();
  if (DateBefore(date, state.contract_start_date)) {
    return RuleViolation(
        "CONTRACT_NOT_STARTED",
        absl::StrCat("an evaluation needs a started contract; it starts on ",
                     FormatDate(state.contract_start_date)));
  }
  RETURN_IF_ERROR(rules::RequireNotInFuture(date, context, "the evaluation"));
  if (state.evaluated) {
    return RuleViolation("EVALUATION_ALREADY_RECORDED",
                         "the final evaluation is already recorded");
  }
  v1::ProjectEvent event;
  v1::EvaluationRecorded* evaluation = event.mutable_evaluation_recorded();
  evaluation->set_project_id(state.project_id);
  *evaluation->mutable_evaluated_on() = date;
  evaluation->set_autonomy_level(command.autonomy_level());
  for (const v1::DeliverableAssessment& given : command.assessments()) {
    v1::DeliverableAssessment* assessment = evaluation->add_assessments();
    assessment->set_kind(given.kind());
    assessment->set_situation(given.situation());
    // The review status comes from the project, not from the client.
    assessment->set_status(state.deliverable(given.kind()).status);
  }
  evaluation->set_worked_days(state.worked_days);
  evaluation->set_target_worked_days(state.target_worked_days);
  if (command.has_narrative()) {
    *evaluation->mutable_narrative() = command.narrative();
  }
  return One(std::move(event));
}

}  // namespace coopcraft::domain::project
