// One valid story told by commands and by the events they should produce:
// call "dm-2026" (5 Jan - 27 Feb 2026, rubric 5+5+10 points) receives
// application "app-1" from a beneficiary of CPAS Ixelles on 2 Feb, reviewed
// on 9 Feb, CPAS opinion on 10 Feb, decisions on 12 Feb; "today" is 16 Feb.
// Tests change only what they are about with With(...).
#ifndef COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SELECTION_FIXTURES_H_
#define COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SELECTION_FIXTURES_H_

#include <string>
#include <vector>

#include "coopcraft/v1/cohort_service.pb.h"
#include "coopcraft/v1/selection_service.pb.h"

namespace coopcraft::testing {

inline v1::Date D(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline constexpr char kRequestId[] = "123e4567-e89b-12d3-a456-426614174000";
inline constexpr char kCall[] = "dm-2026";
inline constexpr char kApplication[] = "app-1";
inline constexpr char kPerson[] = "person-1";
inline constexpr char kCpas[] = "cpas-ixelles";

inline v1::Date OpensOn() { return D(2026, 1, 5); }
inline v1::Date ClosesOn() { return D(2026, 2, 27); }
inline v1::Date ReceivedOn() { return D(2026, 2, 2); }
inline v1::Date ReviewedOn() { return D(2026, 2, 9); }
inline v1::Date OpinionOn() { return D(2026, 2, 10); }
inline v1::Date DecidedOn() { return D(2026, 2, 12); }

inline v1::RubricCriterion Criterion(const std::string& id, int max_score) {
  v1::RubricCriterion criterion;
  criterion.set_criterion_id(id);
  criterion.set_title("Judged: " + id);
  criterion.set_max_score(max_score);
  return criterion;
}

inline std::vector<v1::RubricCriterion> Rubric() {
  return {Criterion("motivation", 5), Criterion("project", 5),
          Criterion("feasibility", 10)};
}

// ---- Call ----

inline v1::OpenCallRequest OpenCall() {
  v1::OpenCallRequest c;
  c.set_request_id(kRequestId);
  c.set_call_id(kCall);
  c.set_title("Digital mediators 2026");
  c.set_description("Build your job through a digital mediation project.");
  *c.mutable_opens_on() = OpensOn();
  *c.mutable_closes_on() = ClosesOn();
  c.add_partner_cpas_ids(kCpas);
  c.add_partner_cpas_ids("cpas-molenbeek");
  for (const auto& criterion : Rubric()) *c.add_rubric() = criterion;
  c.set_places(6);
  return c;
}

inline v1::CallEvent CallOpened() {
  v1::CallEvent event;
  v1::CallOpened* e = event.mutable_call_opened();
  e->set_call_id(kCall);
  e->set_title("Digital mediators 2026");
  e->set_description("Build your job through a digital mediation project.");
  *e->mutable_opens_on() = OpensOn();
  *e->mutable_closes_on() = ClosesOn();
  e->add_partner_cpas_ids(kCpas);
  e->add_partner_cpas_ids("cpas-molenbeek");
  for (const auto& criterion : Rubric()) *e->add_rubric() = criterion;
  e->set_places(6);
  return event;
}

inline v1::CloseCallRequest CloseCall(const v1::Date& closed_on) {
  v1::CloseCallRequest c;
  c.set_request_id(kRequestId);
  c.set_call_id(kCall);
  *c.mutable_closed_on() = closed_on;
  return c;
}

inline v1::CallEvent CallClosed(const v1::Date& closed_on, bool early) {
  v1::CallEvent event;
  v1::CallClosed* e = event.mutable_call_closed();
  e->set_call_id(kCall);
  *e->mutable_closed_on() = closed_on;
  e->set_closed_early(early);
  return event;
}

// ---- Application ----

inline v1::ApplicantDetails Applicant() {
  v1::ApplicantDetails a;
  a.set_given_name("Amina");
  a.set_family_name("El Idrissi");
  *a.mutable_birth_date() = D(1990, 5, 20);  // 35 on ReceivedOn().
  a.set_email("amina@example.org");
  a.set_phone("+32 470 12 34 56");
  a.mutable_postal_address()->set_street_address("Rue Haute 12");
  a.mutable_postal_address()->set_postal_code("1050");
  a.mutable_postal_address()->set_locality("Ixelles");
  a.set_cv_reference("docs/cv-person-1.pdf");
  a.set_career_path("Ten years of community theatre, then a web course.");
  a.set_motivations("I want to turn my theatre work into a job.");
  a.set_project_title("The museum quest");
  a.set_project_pitch("A treasure-hunt game that guides children.");
  return a;
}

inline v1::SubmitApplicationRequest Submit() {
  v1::SubmitApplicationRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  c.set_call_id(kCall);
  c.set_person_id(kPerson);
  c.set_cpas_id(kCpas);
  *c.mutable_received_on() = ReceivedOn();
  *c.mutable_applicant() = Applicant();
  c.set_gender_category(v1::GENDER_CATEGORY_WOMAN);
  c.set_education_level(v1::EDUCATION_LEVEL_UPPER_SECONDARY);
  c.set_months_on_integration_income(24);
  c.set_project_kind(v1::PROJECT_KIND_GAME);
  return c;
}

inline v1::ApplicationEvent Submitted() {
  v1::ApplicationEvent event;
  v1::ApplicationSubmitted* e = event.mutable_application_submitted();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  *e->mutable_received_on() = ReceivedOn();
  *e->mutable_applicant() = Applicant();
  e->set_gender_category(v1::GENDER_CATEGORY_WOMAN);
  e->set_age_band(v1::AGE_BAND_UNDER_36);
  e->set_education_level(v1::EDUCATION_LEVEL_UPPER_SECONDARY);
  e->set_months_on_integration_income(24);
  e->set_project_kind(v1::PROJECT_KIND_GAME);
  for (const auto& criterion : Rubric()) *e->add_rubric() = criterion;
  return event;
}

inline v1::CriterionScore Score(const std::string& id, int score) {
  v1::CriterionScore s;
  s.set_criterion_id(id);
  s.set_score(score);
  return s;
}

// Scores 4 + 4 + 8 = 16 of 20.
inline std::vector<v1::CriterionScore> Scores() {
  return {Score("motivation", 4), Score("project", 4), Score("feasibility", 8)};
}

inline v1::ReviewApplicationRequest Review(
    const std::string& reviewer = "reviewer-a") {
  v1::ReviewApplicationRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  c.set_reviewer_id(reviewer);
  *c.mutable_reviewed_on() = ReviewedOn();
  for (const auto& score : Scores()) *c.add_scores() = score;
  c.set_recommendation(v1::REVIEW_RECOMMENDATION_SELECT);
  c.set_comment("Clear project, strong motivation.");
  return c;
}

inline v1::ApplicationEvent Reviewed(
    const std::string& reviewer = "reviewer-a",
    const v1::Date& reviewed_on = ReviewedOn()) {
  v1::ApplicationEvent event;
  v1::ApplicationReviewed* e = event.mutable_application_reviewed();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_reviewer_id(reviewer);
  *e->mutable_reviewed_on() = reviewed_on;
  for (const auto& score : Scores()) *e->add_scores() = score;
  e->set_total_score(16);
  e->set_max_total_score(20);
  e->set_recommendation(v1::REVIEW_RECOMMENDATION_SELECT);
  e->mutable_comment()->set_text("Clear project, strong motivation.");
  return event;
}

inline v1::RecordCpasOpinionRequest Opinion(
    v1::CpasOpinion opinion = v1::CPAS_OPINION_FAVOURABLE,
    const v1::Date& given_on = OpinionOn()) {
  v1::RecordCpasOpinionRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  c.set_cpas_id(kCpas);
  c.set_social_worker_id("social-worker-7");
  *c.mutable_given_on() = given_on;
  c.set_opinion(opinion);
  c.set_comment("Known to our services; ready for work.");
  return c;
}

inline v1::ApplicationEvent OpinionRecorded(
    v1::CpasOpinion opinion = v1::CPAS_OPINION_FAVOURABLE,
    v1::CpasOpinion previous = v1::CPAS_OPINION_UNSPECIFIED,
    const v1::Date& given_on = OpinionOn()) {
  v1::ApplicationEvent event;
  v1::CpasOpinionRecorded* e = event.mutable_cpas_opinion_recorded();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  e->set_social_worker_id("social-worker-7");
  *e->mutable_given_on() = given_on;
  e->set_opinion(opinion);
  e->set_previous_opinion(previous);
  e->mutable_comment()->set_text("Known to our services; ready for work.");
  return event;
}

inline v1::SelectCandidateRequest Select(const v1::Date& on = DecidedOn()) {
  v1::SelectCandidateRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  *c.mutable_decided_on() = on;
  return c;
}

inline v1::ApplicationEvent Selected(const v1::Date& on = DecidedOn()) {
  v1::ApplicationEvent event;
  v1::CandidateSelected* e = event.mutable_candidate_selected();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  *e->mutable_decided_on() = on;
  e->set_review_count(1);
  e->set_mean_score_percent(80);
  e->set_cpas_opinion(v1::CPAS_OPINION_FAVOURABLE);
  return event;
}

inline v1::WaitlistCandidateRequest Waitlist(const v1::Date& on = DecidedOn()) {
  v1::WaitlistCandidateRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  *c.mutable_decided_on() = on;
  c.set_rank(2);
  return c;
}

inline v1::ApplicationEvent Waitlisted(const v1::Date& on = DecidedOn()) {
  v1::ApplicationEvent event;
  v1::CandidateWaitlisted* e = event.mutable_candidate_waitlisted();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  *e->mutable_decided_on() = on;
  e->set_rank(2);
  e->set_review_count(1);
  e->set_mean_score_percent(80);
  return event;
}

inline v1::RejectCandidateRequest Reject(const v1::Date& on = DecidedOn()) {
  v1::RejectCandidateRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  *c.mutable_decided_on() = on;
  c.set_reason(v1::REJECTION_REASON_NOT_ELIGIBLE);
  c.set_explanation("Not on social integration income.");
  return c;
}

inline v1::ApplicationEvent Rejected(const v1::Date& on = DecidedOn()) {
  v1::ApplicationEvent event;
  v1::CandidateRejected* e = event.mutable_candidate_rejected();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  *e->mutable_decided_on() = on;
  e->set_reason(v1::REJECTION_REASON_NOT_ELIGIBLE);
  e->mutable_explanation()->set_text("Not on social integration income.");
  return event;
}

inline v1::WithdrawApplicationRequest Withdraw(
    const v1::Date& on = DecidedOn()) {
  v1::WithdrawApplicationRequest c;
  c.set_request_id(kRequestId);
  c.set_application_id(kApplication);
  *c.mutable_withdrawn_on() = on;
  c.set_reason(v1::WITHDRAWAL_REASON_FOUND_JOB);
  c.set_note("Hired as a stage hand.");
  return c;
}

inline v1::ApplicationEvent Withdrawn(const v1::Date& on = DecidedOn()) {
  v1::ApplicationEvent event;
  v1::ApplicationWithdrawn* e = event.mutable_application_withdrawn();
  e->set_application_id(kApplication);
  e->set_call_id(kCall);
  e->set_person_id(kPerson);
  e->set_cpas_id(kCpas);
  *e->mutable_withdrawn_on() = on;
  e->set_reason(v1::WITHDRAWAL_REASON_FOUND_JOB);
  e->mutable_note()->set_text("Hired as a stage hand.");
  return event;
}

// ---- Cohort ----
// Meeting "gm-1" of the dm-2026 cohort on 9 Feb: projects a and b present,
// c excused; two agenda items of 45 and 60 minutes in a 120-minute meeting.

inline constexpr char kMeeting[] = "gm-1";

inline v1::AgendaItem Item(v1::AgendaItemKind kind, const std::string& topic,
                           int minutes) {
  v1::AgendaItem item;
  item.set_kind(kind);
  item.set_topic(topic);
  item.set_duration_minutes(minutes);
  return item;
}

inline v1::SpeakingTime Spoke(const std::string& project_id, int minutes) {
  v1::SpeakingTime time;
  time.set_project_id(project_id);
  time.set_minutes(minutes);
  return time;
}

inline std::vector<v1::AgendaItem> Agenda() {
  v1::AgendaItem sharing =
      Item(v1::AGENDA_ITEM_KIND_EXPERIENCE_SHARING, "Finding partners", 45);
  *sharing.add_speaking_times() = Spoke("proj-a", 10);
  *sharing.add_speaking_times() = Spoke("proj-b", 15);
  v1::AgendaItem progress =
      Item(v1::AGENDA_ITEM_KIND_PROGRESS_ROUND, "Where we stand", 60);
  *progress.add_speaking_times() = Spoke("proj-a", 20);
  *progress.add_speaking_times() = Spoke("proj-b", 20);
  return {sharing, progress};
}

inline v1::Absence Absent(const std::string& project_id, bool excused) {
  v1::Absence absence;
  absence.set_project_id(project_id);
  absence.set_excused(excused);
  return absence;
}

inline v1::RecordGroupMeetingRequest RecordMeeting(
    const std::string& meeting_id = kMeeting,
    const v1::Date& held_on = ReviewedOn()) {
  v1::RecordGroupMeetingRequest c;
  c.set_request_id(kRequestId);
  c.set_call_id(kCall);
  c.set_meeting_id(meeting_id);
  *c.mutable_held_on() = held_on;
  c.set_facilitator_id("coach-1");
  c.set_duration_minutes(120);
  c.add_present_project_ids("proj-a");
  c.add_present_project_ids("proj-b");
  *c.add_absences() = Absent("proj-c", true);
  for (const auto& item : Agenda()) *c.add_agenda_items() = item;
  return c;
}

inline v1::CohortEvent MeetingRecorded(const std::string& meeting_id = kMeeting,
                                       const v1::Date& held_on = ReviewedOn()) {
  v1::CohortEvent event;
  v1::GroupMeetingRecorded* e = event.mutable_group_meeting_recorded();
  e->set_call_id(kCall);
  e->set_meeting_id(meeting_id);
  *e->mutable_held_on() = held_on;
  e->set_facilitator_id("coach-1");
  e->set_duration_minutes(120);
  e->add_present_project_ids("proj-a");
  e->add_present_project_ids("proj-b");
  *e->add_absences() = Absent("proj-c", true);
  for (const auto& item : Agenda()) *e->add_agenda_items() = item;
  e->set_attendance_percent(66);  // 2 of 3, rounded down.
  return event;
}

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SELECTION_FIXTURES_H_
