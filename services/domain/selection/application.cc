// Rules of an application, from receipt to the final decision.
#include "services/domain/selection/application.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "services/domain/date.h"
#include "services/domain/selection/checks.h"

namespace coopcraft::domain::selection {
namespace {

// Article 60 hires adults only.
constexpr int kMinimumAge = 18;

using Events = std::vector<v1::ApplicationEvent>;

const v1::Date& Later(const v1::Date& a, const v1::Date& b) {
  return DateBefore(a, b) ? b : a;
}

v1::AgeBand AgeBandOn(const v1::Date& birth, const v1::Date& on) {
  const int age = AgeOn(birth, on);
  if (age < 36) return v1::AGE_BAND_UNDER_36;
  if (age < 50) return v1::AGE_BAND_36_TO_49;
  return v1::AGE_BAND_50_AND_OVER;
}

absl::Status RequireExists(const ApplicationState& state,
                           absl::string_view application_id) {
  if (state.exists) return absl::OkStatus();
  return NotFound(
      "APPLICATION_NOT_FOUND",
      absl::StrCat("application ", application_id, " was never submitted"));
}

// Selected, rejected and withdrawn are final: nothing more may happen.
absl::Status RequireUndecided(const ApplicationState& state) {
  switch (state.status) {
    case ApplicationStatus::kSelected:
    case ApplicationStatus::kRejected:
      return RuleViolation("APPLICATION_ALREADY_DECIDED",
                           absl::StrCat("application ", state.application_id,
                                        " was ", StatusName(state.status),
                                        " on ", FormatDate(state.decided_on)));
    case ApplicationStatus::kWithdrawn:
      return RuleViolation(
          "APPLICATION_WITHDRAWN",
          absl::StrCat("application ", state.application_id,
                       " was withdrawn on ", FormatDate(state.decided_on)));
    case ApplicationStatus::kNone:
    case ApplicationStatus::kSubmitted:
    case ApplicationStatus::kWaitlisted:
      break;
  }
  return absl::OkStatus();
}

absl::Status RequireNotBeforeSubmission(const ApplicationState& state,
                                        const v1::Date& date,
                                        absl::string_view what) {
  if (!DateBefore(date, state.received_on)) return absl::OkStatus();
  return RuleViolation("DATE_BEFORE_SUBMISSION",
                       absl::StrCat(what, " ", FormatDate(date),
                                    " is before the dossier was received on ",
                                    FormatDate(state.received_on)));
}

// A decision rests on every review, the opinion and any wait-listing, so it
// cannot be dated before the latest of them.
absl::Status RequireAfterEvidence(const ApplicationState& state,
                                  const v1::Date& decided_on) {
  const v1::Date& last =
      Later(Later(state.received_on, state.last_review_on),
            Later(state.cpas_opinion_on, state.waitlisted_on));
  if (!DateBefore(decided_on, last)) return absl::OkStatus();
  return RuleViolation(
      "DATE_BEFORE_PREVIOUS_STEP",
      absl::StrCat("the decision of ", FormatDate(decided_on),
                   " is dated before the last step of the dossier on ",
                   FormatDate(last)));
}

absl::Status RequireReview(const ApplicationState& state) {
  if (!state.reviews.empty()) return absl::OkStatus();
  return RuleViolation("DECISION_NEEDS_REVIEW",
                       absl::StrCat("application ", state.application_id,
                                    " has not been reviewed yet"));
}

// Scores must cover the rubric exactly: reviews are only comparable when
// every reviewer judged every criterion.
absl::Status CheckScores(const ApplicationState& state,
                         const v1::ReviewApplicationRequest& command,
                         int32_t* total, int32_t* max_total) {
  std::set<std::string_view> scored;
  *total = 0;
  *max_total = 0;
  for (const v1::CriterionScore& score : command.scores()) {
    auto criterion =
        std::find_if(state.rubric.begin(), state.rubric.end(),
                     [&](const v1::RubricCriterion& c) {
                       return c.criterion_id() == score.criterion_id();
                     });
    if (criterion == state.rubric.end()) {
      return RuleViolation("RUBRIC_CRITERION_UNKNOWN",
                           absl::StrCat("criterion ", score.criterion_id(),
                                        " is not in the call's rubric"));
    }
    if (!scored.insert(score.criterion_id()).second) {
      return RuleViolation(
          "RUBRIC_CRITERION_SCORED_TWICE",
          absl::StrCat("criterion ", score.criterion_id(), " is scored twice"));
    }
    if (score.score() < 0 || score.score() > criterion->max_score()) {
      return RuleViolation(
          "SCORE_OUT_OF_RANGE",
          absl::StrCat("criterion ", score.criterion_id(), " scores 0 to ",
                       criterion->max_score(), ", not ", score.score()));
    }
    *total += score.score();
    *max_total += criterion->max_score();
  }
  for (const v1::RubricCriterion& criterion : state.rubric) {
    if (scored.count(criterion.criterion_id()) == 0) {
      return RuleViolation("RUBRIC_CRITERION_NOT_SCORED",
                           absl::StrCat("criterion ", criterion.criterion_id(),
                                        " has no score"));
    }
  }
  return absl::OkStatus();
}

Events One(v1::ApplicationEvent event) {
  Events events;
  events.push_back(std::move(event));
  return events;
}

}  // namespace

std::string ApplicationStream(std::string_view application_id) {
  // Plain append: Debian's absl::StrCat takes no std::string_view.
  std::string stream = "application-";
  stream.append(application_id);
  return stream;
}

absl::string_view StatusName(ApplicationStatus status) {
  switch (status) {
    case ApplicationStatus::kNone:
      return "not submitted";
    case ApplicationStatus::kSubmitted:
      return "submitted";
    case ApplicationStatus::kWaitlisted:
      return "waitlisted";
    case ApplicationStatus::kSelected:
      return "selected";
    case ApplicationStatus::kRejected:
      return "rejected";
    case ApplicationStatus::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

int32_t MeanScorePercent(const ApplicationState& state) {
  if (state.max_score_points <= 0) return 0;
  // Rounded half up, in integers so every replay computes the same figure.
  return static_cast<int32_t>(
      (200 * state.score_points + state.max_score_points) /
      (2 * state.max_score_points));
}

ApplicationState Evolve(ApplicationState state,
                        const v1::ApplicationEvent& event) {
  ++state.event_count;
  switch (event.event_case()) {
    case v1::ApplicationEvent::kApplicationSubmitted: {
      const v1::ApplicationSubmitted& e = event.application_submitted();
      state.exists = true;
      state.status = ApplicationStatus::kSubmitted;
      state.application_id = e.application_id();
      state.call_id = e.call_id();
      state.person_id = e.person_id();
      state.cpas_id = e.cpas_id();
      state.received_on = e.received_on();
      state.birth_date = e.applicant().birth_date();
      state.gender_category = e.gender_category();
      state.age_band = e.age_band();
      state.education_level = e.education_level();
      state.months_on_integration_income = e.months_on_integration_income();
      state.project_kind = e.project_kind();
      state.rubric.assign(e.rubric().begin(), e.rubric().end());
      break;
    }
    case v1::ApplicationEvent::kApplicationReviewed: {
      const v1::ApplicationReviewed& e = event.application_reviewed();
      state.reviews[e.reviewer_id()] = e.reviewed_on();
      state.score_points += e.total_score();
      state.max_score_points += e.max_total_score();
      state.last_review_on = Later(state.last_review_on, e.reviewed_on());
      break;
    }
    case v1::ApplicationEvent::kCpasOpinionRecorded:
      state.cpas_opinion = event.cpas_opinion_recorded().opinion();
      state.cpas_opinion_on = event.cpas_opinion_recorded().given_on();
      break;
    case v1::ApplicationEvent::kCandidateSelected:
      state.status = ApplicationStatus::kSelected;
      state.decided_on = event.candidate_selected().decided_on();
      break;
    case v1::ApplicationEvent::kCandidateWaitlisted:
      state.status = ApplicationStatus::kWaitlisted;
      state.waitlisted_on = event.candidate_waitlisted().decided_on();
      break;
    case v1::ApplicationEvent::kCandidateRejected:
      state.status = ApplicationStatus::kRejected;
      state.decided_on = event.candidate_rejected().decided_on();
      break;
    case v1::ApplicationEvent::kApplicationWithdrawn:
      state.status = ApplicationStatus::kWithdrawn;
      state.decided_on = event.application_withdrawn().withdrawn_on();
      break;
    case v1::ApplicationEvent::EVENT_NOT_SET:
      break;
  }
  return state;
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::SubmitApplicationRequest& command,
                              const CallState& call,
                              const DecisionContext& context) {
  if (state.exists) {
    return RuleViolation("APPLICATION_ALREADY_SUBMITTED",
                         absl::StrCat("application ", command.application_id(),
                                      " was already submitted"));
  }
  if (!call.exists) {
    return NotFound("CALL_NOT_FOUND", absl::StrCat("call ", command.call_id(),
                                                   " was never opened"));
  }
  // A dossier received on time may be recorded after the closing date, but
  // not once staff have formally closed the call.
  if (call.closed) {
    return RuleViolation("CALL_CLOSED",
                         absl::StrCat("call ", call.call_id, " was closed on ",
                                      FormatDate(call.closed_on)));
  }
  const v1::Date& received_on = command.received_on();
  if (DateBefore(received_on, call.opens_on)) {
    return RuleViolation(
        "CALL_NOT_YET_OPEN",
        absl::StrCat("call ", call.call_id, " opens on ",
                     FormatDate(call.opens_on), ", after the receipt on ",
                     FormatDate(received_on)));
  }
  if (DateBefore(call.closes_on, received_on)) {
    return RuleViolation(
        "APPLICATION_AFTER_CLOSING_DATE",
        absl::StrCat("call ", call.call_id, " closed to applications on ",
                     FormatDate(call.closes_on), "; the dossier came on ",
                     FormatDate(received_on)));
  }
  RETURN_IF_ERROR(RequireNotInFuture(received_on, "the receipt day", context));
  if (!IsPartnerCpas(call, command.cpas_id())) {
    return RuleViolation(
        "CPAS_NOT_PARTNER_OF_CALL",
        absl::StrCat("CPAS ", command.cpas_id(), " is not a partner of call ",
                     call.call_id));
  }
  const v1::Date& birth_date = command.applicant().birth_date();
  if (!DateBefore(birth_date, received_on)) {
    return RuleViolation(
        "BIRTH_DATE_AFTER_RECEIPT",
        "the applicant's birth date is not before the receipt day");
  }
  // The explanation never repeats the birth date: messages may be logged.
  if (AgeOn(birth_date, received_on) < kMinimumAge) {
    return RuleViolation(
        "APPLICANT_UNDER_18",
        "an Article 60 contract needs an applicant aged 18 or more");
  }

  v1::ApplicationEvent event;
  v1::ApplicationSubmitted* e = event.mutable_application_submitted();
  e->set_application_id(command.application_id());
  e->set_call_id(call.call_id);
  e->set_person_id(command.person_id());
  e->set_cpas_id(command.cpas_id());
  *e->mutable_received_on() = received_on;
  *e->mutable_applicant() = command.applicant();
  e->set_gender_category(command.gender_category());
  e->set_age_band(AgeBandOn(birth_date, received_on));
  e->set_education_level(command.education_level());
  e->set_months_on_integration_income(command.months_on_integration_income());
  e->set_project_kind(command.project_kind());
  e->mutable_rubric()->Assign(call.rubric.begin(), call.rubric.end());
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::ReviewApplicationRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  RETURN_IF_ERROR(RequireUndecided(state));
  if (state.status != ApplicationStatus::kSubmitted) {
    return RuleViolation(
        "APPLICATION_NOT_UNDER_REVIEW",
        absl::StrCat("application ", state.application_id, " is ",
                     StatusName(state.status), "; reviews are closed"));
  }
  if (auto it = state.reviews.find(command.reviewer_id());
      it != state.reviews.end()) {
    return RuleViolation("REVIEWER_ALREADY_REVIEWED",
                         absl::StrCat("reviewer ", command.reviewer_id(),
                                      " already reviewed this application on ",
                                      FormatDate(it->second)));
  }
  int32_t total = 0;
  int32_t max_total = 0;
  RETURN_IF_ERROR(CheckScores(state, command, &total, &max_total));
  RETURN_IF_ERROR(RequireNotBeforeSubmission(state, command.reviewed_on(),
                                             "the review day"));
  RETURN_IF_ERROR(
      RequireNotInFuture(command.reviewed_on(), "the review day", context));

  v1::ApplicationEvent event;
  v1::ApplicationReviewed* e = event.mutable_application_reviewed();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_reviewer_id(command.reviewer_id());
  *e->mutable_reviewed_on() = command.reviewed_on();
  *e->mutable_scores() = command.scores();
  e->set_total_score(total);
  e->set_max_total_score(max_total);
  e->set_recommendation(command.recommendation());
  if (!command.comment().empty())
    e->mutable_comment()->set_text(command.comment());
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::RecordCpasOpinionRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  // Only the employer-to-be may speak for the applicant's CPAS.
  if (command.cpas_id() != state.cpas_id) {
    return RuleViolation("NOT_APPLICANTS_CPAS",
                         absl::StrCat("CPAS ", command.cpas_id(),
                                      " is not the applicant's CPAS"));
  }
  RETURN_IF_ERROR(RequireUndecided(state));
  RETURN_IF_ERROR(
      RequireNotBeforeSubmission(state, command.given_on(), "the opinion day"));
  // A revision replaces the opinion in force, so it must be the newer one.
  if (state.cpas_opinion != v1::CPAS_OPINION_UNSPECIFIED &&
      DateBefore(command.given_on(), state.cpas_opinion_on)) {
    return RuleViolation(
        "OPINION_OLDER_THAN_PREVIOUS",
        absl::StrCat("the opinion of ", FormatDate(command.given_on()),
                     " is older than the one in force, given on ",
                     FormatDate(state.cpas_opinion_on)));
  }
  RETURN_IF_ERROR(
      RequireNotInFuture(command.given_on(), "the opinion day", context));

  v1::ApplicationEvent event;
  v1::CpasOpinionRecorded* e = event.mutable_cpas_opinion_recorded();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_cpas_id(state.cpas_id);
  e->set_social_worker_id(command.social_worker_id());
  *e->mutable_given_on() = command.given_on();
  e->set_opinion(command.opinion());
  e->set_previous_opinion(state.cpas_opinion);
  if (!command.comment().empty())
    e->mutable_comment()->set_text(command.comment());
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::SelectCandidateRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  RETURN_IF_ERROR(RequireUndecided(state));
  RETURN_IF_ERROR(RequireReview(state));
  if (state.cpas_opinion == v1::CPAS_OPINION_UNSPECIFIED) {
    return RuleViolation(
        "SELECTION_NEEDS_CPAS_OPINION",
        absl::StrCat("CPAS ", state.cpas_id,
                     " has not given its opinion on this application"));
  }
  // The CPAS is the legal employer: without its agreement no contract.
  if (state.cpas_opinion == v1::CPAS_OPINION_UNFAVOURABLE) {
    return RuleViolation(
        "CPAS_OPINION_UNFAVOURABLE",
        absl::StrCat("CPAS ", state.cpas_id,
                     " gave an unfavourable opinion and would not employ "
                     "the candidate"));
  }
  RETURN_IF_ERROR(RequireAfterEvidence(state, command.decided_on()));
  RETURN_IF_ERROR(
      RequireNotInFuture(command.decided_on(), "the decision day", context));

  v1::ApplicationEvent event;
  v1::CandidateSelected* e = event.mutable_candidate_selected();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_cpas_id(state.cpas_id);
  *e->mutable_decided_on() = command.decided_on();
  e->set_review_count(static_cast<int32_t>(state.reviews.size()));
  e->set_mean_score_percent(MeanScorePercent(state));
  e->set_cpas_opinion(state.cpas_opinion);
  e->set_from_waitlist(state.status == ApplicationStatus::kWaitlisted);
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::WaitlistCandidateRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  RETURN_IF_ERROR(RequireUndecided(state));
  if (state.status == ApplicationStatus::kWaitlisted) {
    return RuleViolation(
        "CANDIDATE_ALREADY_WAITLISTED",
        absl::StrCat("application ", state.application_id,
                     " was wait-listed on ", FormatDate(state.waitlisted_on)));
  }
  RETURN_IF_ERROR(RequireReview(state));
  RETURN_IF_ERROR(RequireAfterEvidence(state, command.decided_on()));
  RETURN_IF_ERROR(
      RequireNotInFuture(command.decided_on(), "the decision day", context));

  v1::ApplicationEvent event;
  v1::CandidateWaitlisted* e = event.mutable_candidate_waitlisted();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_cpas_id(state.cpas_id);
  *e->mutable_decided_on() = command.decided_on();
  e->set_rank(command.rank());
  e->set_review_count(static_cast<int32_t>(state.reviews.size()));
  e->set_mean_score_percent(MeanScorePercent(state));
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::RejectCandidateRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  RETURN_IF_ERROR(RequireUndecided(state));
  // The applicant is owed a reason; validation checks it too, the rule holds
  // for any caller.
  if (command.reason() == v1::REJECTION_REASON_UNSPECIFIED) {
    return RuleViolation("REJECTION_NEEDS_REASON",
                         "a rejection must state its reason");
  }
  RETURN_IF_ERROR(RequireAfterEvidence(state, command.decided_on()));
  RETURN_IF_ERROR(
      RequireNotInFuture(command.decided_on(), "the decision day", context));

  v1::ApplicationEvent event;
  v1::CandidateRejected* e = event.mutable_candidate_rejected();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_cpas_id(state.cpas_id);
  *e->mutable_decided_on() = command.decided_on();
  e->set_reason(command.reason());
  e->set_from_waitlist(state.status == ApplicationStatus::kWaitlisted);
  e->set_review_count(static_cast<int32_t>(state.reviews.size()));
  if (!command.explanation().empty())
    e->mutable_explanation()->set_text(command.explanation());
  return One(std::move(event));
}

absl::StatusOr<Events> Decide(const ApplicationState& state,
                              const v1::WithdrawApplicationRequest& command,
                              const DecisionContext& context) {
  RETURN_IF_ERROR(RequireExists(state, command.application_id()));
  RETURN_IF_ERROR(RequireUndecided(state));
  const v1::Date& last = Later(state.received_on, state.waitlisted_on);
  if (DateBefore(command.withdrawn_on(), last)) {
    return RuleViolation(
        "DATE_BEFORE_PREVIOUS_STEP",
        absl::StrCat("the withdrawal of ", FormatDate(command.withdrawn_on()),
                     " is dated before ", FormatDate(last)));
  }
  RETURN_IF_ERROR(RequireNotInFuture(command.withdrawn_on(),
                                     "the withdrawal day", context));

  v1::ApplicationEvent event;
  v1::ApplicationWithdrawn* e = event.mutable_application_withdrawn();
  e->set_application_id(state.application_id);
  e->set_call_id(state.call_id);
  e->set_person_id(state.person_id);
  e->set_cpas_id(state.cpas_id);
  *e->mutable_withdrawn_on() = command.withdrawn_on();
  e->set_reason(command.reason());
  e->set_from_waitlist(state.status == ApplicationStatus::kWaitlisted);
  if (!command.note().empty()) e->mutable_note()->set_text(command.note());
  return One(std::move(event));
}

}  // namespace coopcraft::domain::selection
