// Builders of valid programme requests and ProgrammeClient.
#include "tests/support/programme_requests.h"

#include <grpcpp/client_context.h>

#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace coopcraft::testing {
namespace {

v1::Date ToDate(absl::CivilDay day) {
  return Day(static_cast<int>(day.year()), day.month(), day.day());
}

v1::Date DaysAfter(const v1::Date& date, int days) {
  return ToDate(absl::CivilDay(date.year(), date.month(), date.day()) + days);
}

v1::Money Euros(int64_t euros) {
  v1::Money money;
  money.set_cents(euros * 100);
  return money;
}

v1::CriterionScore Score(const std::string& criterion_id, int score) {
  v1::CriterionScore s;
  s.set_criterion_id(criterion_id);
  s.set_score(score);
  return s;
}

void AddCriterion(v1::OpenCallRequest& call, const std::string& id,
                  const std::string& title, int max_score) {
  v1::RubricCriterion* criterion = call.add_rubric();
  criterion->set_criterion_id(id);
  criterion->set_title(title);
  criterion->set_max_score(max_score);
}

// Every project command starts with a fresh request id and its project.
template <typename Request>
Request ForProject(const std::string& project_id) {
  Request request;
  request.set_request_id(NewRequestId());
  request.set_project_id(project_id);
  return request;
}

template <typename Request>
Request ForApplication(const std::string& application_id) {
  Request request;
  request.set_request_id(NewRequestId());
  request.set_application_id(application_id);
  return request;
}

// 8-4-4-4-12 lower-case text of the 128 bits `high`, `low`.
std::string UuidText(uint64_t high, uint64_t low) {
  char text[37];
  std::snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff),
                static_cast<unsigned>(high & 0xffff),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return random;
}

// The RFC 4122 variant bits on the low half.
uint64_t WithVariant(uint64_t low) {
  return (low & ~(3ULL << 62)) | (2ULL << 62);
}

}  // namespace

std::string NewRequestId() {
  const uint64_t high = ThreadRandom()();
  // Version 4 (random).
  return UuidText((high & ~0xf000ULL) | 0x4000ULL,
                  WithVariant(ThreadRandom()()));
}

std::string NewTimeOrderedRequestId() {
  const uint64_t millis =
      static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
  // Version 7: 48 bits of milliseconds, the version, 12 random bits.
  const uint64_t high =
      (millis << 16) | 0x7000ULL | (ThreadRandom()() & 0x0fffULL);
  return UuidText(high, WithVariant(ThreadRandom()()));
}

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::Date DaysFromToday(int days) {
  return ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + days);
}

v1::Date CallOpensOn() { return Day(2026, 1, 5); }
v1::Date ReceivedOn() { return Day(2026, 2, 2); }
v1::Date ReviewedOn() { return Day(2026, 2, 9); }
v1::Date OpinionOn() { return Day(2026, 2, 10); }
v1::Date DecidedOn() { return Day(2026, 2, 12); }
v1::Date ContractStartOn() { return Day(2026, 3, 2); }

// ---- SelectionService ----

v1::OpenCallRequest OpenCall(const std::string& call_id) {
  v1::OpenCallRequest request;
  request.set_request_id(NewRequestId());
  request.set_call_id(call_id);
  request.set_title("Digital cultural mediators 2026");
  request.set_description(
      "Build your own job through a digital cultural-mediation project.");
  *request.mutable_opens_on() = CallOpensOn();
  *request.mutable_closes_on() = DaysFromToday(60);
  request.add_partner_cpas_ids(kCpasId);
  request.add_partner_cpas_ids("cpas-molenbeek");
  AddCriterion(request, "motivation", "Motivation", 5);
  AddCriterion(request, "project", "Project", 5);
  AddCriterion(request, "feasibility", "Feasibility", 10);
  request.set_places(6);
  return request;
}

v1::CloseCallRequest CloseCall(const std::string& call_id,
                               const v1::Date& closed_on) {
  v1::CloseCallRequest request;
  request.set_request_id(NewRequestId());
  request.set_call_id(call_id);
  *request.mutable_closed_on() = closed_on;
  return request;
}

v1::SubmitApplicationRequest SubmitApplication(
    const std::string& application_id, const std::string& call_id) {
  auto request = ForApplication<v1::SubmitApplicationRequest>(application_id);
  request.set_call_id(call_id);
  request.set_person_id(absl::StrCat("person-", application_id));
  request.set_cpas_id(kCpasId);
  *request.mutable_received_on() = ReceivedOn();
  v1::ApplicantDetails* applicant = request.mutable_applicant();
  applicant->set_given_name("Amina");
  applicant->set_family_name("El Idrissi");
  *applicant->mutable_birth_date() = Day(1990, 5, 20);
  applicant->set_email("amina@example.org");
  applicant->set_phone("+32 470 12 34 56");
  applicant->set_cv_reference("docs/cv.pdf");
  applicant->set_career_path("Ten years of community theatre, a web course.");
  applicant->set_motivations("I want to turn my theatre work into a job.");
  applicant->set_project_title("The museum quest");
  applicant->set_project_pitch("A treasure-hunt game that guides children.");
  request.set_gender_category(v1::GENDER_CATEGORY_WOMAN);
  request.set_education_level(v1::EDUCATION_LEVEL_UPPER_SECONDARY);
  request.set_months_on_integration_income(24);
  request.set_project_kind(v1::PROJECT_KIND_GAME);
  return request;
}

v1::ReviewApplicationRequest ReviewApplication(
    const std::string& application_id, const std::string& reviewer_id,
    v1::ReviewRecommendation recommendation) {
  auto request = ForApplication<v1::ReviewApplicationRequest>(application_id);
  request.set_reviewer_id(reviewer_id);
  *request.mutable_reviewed_on() = ReviewedOn();
  *request.add_scores() = Score("motivation", 4);
  *request.add_scores() = Score("project", 4);
  *request.add_scores() = Score("feasibility", 8);
  request.set_recommendation(recommendation);
  request.set_comment("Clear project, strong motivation.");
  return request;
}

v1::RecordCpasOpinionRequest RecordCpasOpinion(
    const std::string& application_id, v1::CpasOpinion opinion) {
  auto request = ForApplication<v1::RecordCpasOpinionRequest>(application_id);
  request.set_cpas_id(kCpasId);
  request.set_social_worker_id("social-worker-7");
  *request.mutable_given_on() = OpinionOn();
  request.set_opinion(opinion);
  request.set_comment("Known to our services.");
  return request;
}

v1::SelectCandidateRequest SelectCandidate(const std::string& application_id) {
  auto request = ForApplication<v1::SelectCandidateRequest>(application_id);
  *request.mutable_decided_on() = DecidedOn();
  return request;
}

v1::WaitlistCandidateRequest WaitlistCandidate(
    const std::string& application_id, int rank) {
  auto request = ForApplication<v1::WaitlistCandidateRequest>(application_id);
  *request.mutable_decided_on() = DecidedOn();
  request.set_rank(rank);
  return request;
}

v1::RejectCandidateRequest RejectCandidate(const std::string& application_id,
                                           v1::RejectionReason reason) {
  auto request = ForApplication<v1::RejectCandidateRequest>(application_id);
  *request.mutable_decided_on() = DecidedOn();
  request.set_reason(reason);
  request.set_explanation("Other projects were further along.");
  return request;
}

v1::WithdrawApplicationRequest WithdrawApplication(
    const std::string& application_id) {
  auto request = ForApplication<v1::WithdrawApplicationRequest>(application_id);
  *request.mutable_withdrawn_on() = DecidedOn();
  request.set_reason(v1::WITHDRAWAL_REASON_FOUND_JOB);
  request.set_note("Hired as a stage hand.");
  return request;
}

// ---- ProjectService ----

v1::OpenProjectRequest OpenProject(const std::string& project_id) {
  auto request = ForProject<v1::OpenProjectRequest>(project_id);
  request.set_employing_cpas_id(kCpasId);
  request.set_user_organisation_id(kUserOrganisationId);
  request.set_title("The museum quest");
  *request.mutable_contract_start_date() = ContractStartOn();
  request.set_coach_id("coach-1");
  return request;
}

v1::RecordWorkedDaysRequest RecordWorkedDays(const std::string& project_id,
                                             const v1::Date& period_start,
                                             const v1::Date& period_end,
                                             int days) {
  auto request = ForProject<v1::RecordWorkedDaysRequest>(project_id);
  *request.mutable_period_start() = period_start;
  *request.mutable_period_end() = period_end;
  request.set_days(days);
  return request;
}

v1::DraftDeliverableRequest DraftDeliverable(const std::string& project_id,
                                             v1::DeliverableKind kind) {
  auto request = ForProject<v1::DraftDeliverableRequest>(project_id);
  request.set_kind(kind);
  request.set_document_reference(
      absl::StrCat("docs/", v1::DeliverableKind_Name(kind), ".odt"));
  return request;
}

v1::SubmitDeliverableRequest SubmitDeliverable(const std::string& project_id,
                                               v1::DeliverableKind kind) {
  auto request = ForProject<v1::SubmitDeliverableRequest>(project_id);
  request.set_kind(kind);
  return request;
}

v1::RequestDeliverableChangesRequest RequestDeliverableChanges(
    const std::string& project_id, v1::DeliverableKind kind) {
  auto request = ForProject<v1::RequestDeliverableChangesRequest>(project_id);
  request.set_kind(kind);
  request.set_requested_changes("Quantify the target audience.");
  return request;
}

v1::ValidateDeliverableRequest ValidateDeliverable(
    const std::string& project_id, v1::DeliverableKind kind) {
  auto request = ForProject<v1::ValidateDeliverableRequest>(project_id);
  request.set_kind(kind);
  return request;
}

v1::AssignMentorRequest AssignMentor(const std::string& project_id,
                                     const std::string& mentor_id) {
  auto request = ForProject<v1::AssignMentorRequest>(project_id);
  request.set_mentor_id(mentor_id);
  request.set_sector("Video games");
  return request;
}

v1::AssignMentorRequest AssignMentor(const std::string& project_id,
                                     const std::string& mentor_id,
                                     const v1::Date& assigned_on) {
  v1::AssignMentorRequest request = AssignMentor(project_id, mentor_id);
  *request.mutable_assigned_on() = assigned_on;
  return request;
}

v1::ScheduleMentorMeetingRequest ScheduleMentorMeeting(
    const std::string& project_id, const std::string& meeting_id,
    const v1::Date& scheduled_for) {
  auto request = ForProject<v1::ScheduleMentorMeetingRequest>(project_id);
  request.set_meeting_id(meeting_id);
  *request.mutable_scheduled_for() = scheduled_for;
  return request;
}

v1::RecordMentorMeetingRequest RecordMentorMeeting(
    const std::string& project_id, const std::string& meeting_id,
    const v1::Date& held_on) {
  auto request = ForProject<v1::RecordMentorMeetingRequest>(project_id);
  request.set_meeting_id(meeting_id);
  *request.mutable_held_on() = held_on;
  request.mutable_feedback()->set_summary("The prototype is convincing.");
  request.mutable_feedback()->set_next_steps("Test it with two schools.");
  return request;
}

v1::RecordInterviewRequest RecordInterview(const std::string& project_id,
                                           const v1::Date& held_on) {
  auto request = ForProject<v1::RecordInterviewRequest>(project_id);
  *request.mutable_held_on() = held_on;
  request.set_interviewer_id("coach-1");
  request.add_deliverables_discussed(v1::DELIVERABLE_KIND_DEVELOPMENT_STRATEGY);
  request.add_deliverables_discussed(v1::DELIVERABLE_KIND_SWOT);
  request.mutable_notes()->set_summary("Agreed on the roadmap's order.");
  return request;
}

v1::LogActionRequest LogAction(const std::string& project_id,
                               const std::string& action_id,
                               v1::ActionLine line,
                               const v1::Date& occurred_on) {
  auto request = ForProject<v1::LogActionRequest>(project_id);
  request.set_action_id(action_id);
  request.set_line(line);
  *request.mutable_occurred_on() = occurred_on;
  request.set_title(absl::StrCat("Action ", action_id));
  request.set_description(
      "Called the education service of the museum to present the game; they "
      "asked for a demonstration with a class in the spring.");
  return request;
}

v1::PlanMilestoneRequest PlanMilestone(const std::string& project_id,
                                       const std::string& milestone_id,
                                       const v1::Date& start_date,
                                       const v1::Date& end_date) {
  auto request = ForProject<v1::PlanMilestoneRequest>(project_id);
  request.set_milestone_id(milestone_id);
  request.set_title(absl::StrCat("Milestone ", milestone_id));
  *request.mutable_start_date() = start_date;
  *request.mutable_end_date() = end_date;
  return request;
}

v1::MoveMilestoneRequest MoveMilestone(const std::string& project_id,
                                       const std::string& milestone_id,
                                       const v1::Date& start_date,
                                       const v1::Date& end_date) {
  auto request = ForProject<v1::MoveMilestoneRequest>(project_id);
  request.set_milestone_id(milestone_id);
  *request.mutable_start_date() = start_date;
  *request.mutable_end_date() = end_date;
  request.set_reason("The partner school moved its visit.");
  return request;
}

v1::CompleteMilestoneRequest CompleteMilestone(const std::string& project_id,
                                               const std::string& milestone_id,
                                               const v1::Date& completed_on) {
  auto request = ForProject<v1::CompleteMilestoneRequest>(project_id);
  request.set_milestone_id(milestone_id);
  *request.mutable_completed_on() = completed_on;
  return request;
}

v1::RequestResourceRequest RequestResource(
    const std::string& project_id, const std::string& resource_request_id) {
  auto request = ForProject<v1::RequestResourceRequest>(project_id);
  request.set_resource_request_id(resource_request_id);
  request.set_kind(v1::RESOURCE_KIND_EQUIPMENT);
  request.set_description("A tablet to test the game with children.");
  *request.mutable_needed_from() = Day(2026, 4, 1);
  *request.mutable_needed_until() = Day(2026, 9, 30);
  return request;
}

v1::DecideResourceRequestRequest DecideResourceRequest(
    const std::string& project_id, const std::string& resource_request_id,
    v1::ResourceDecision decision) {
  auto request = ForProject<v1::DecideResourceRequestRequest>(project_id);
  request.set_resource_request_id(resource_request_id);
  request.set_decision(decision);
  request.set_comment(decision == v1::RESOURCE_DECISION_DECLINED
                          ? "No tablet is free this season."
                          : "Return it by October.");
  return request;
}

v1::SubmitFundingApplicationRequest SubmitFundingApplication(
    const std::string& project_id, const std::string& funding_application_id,
    const v1::Date& submitted_on) {
  auto request = ForProject<v1::SubmitFundingApplicationRequest>(project_id);
  request.set_funding_application_id(funding_application_id);
  request.set_funder("Fédération Wallonie-Bruxelles");
  request.set_call_name("Digital culture 2026");
  *request.mutable_amount_requested() = Euros(5000);
  *request.mutable_deadline() = DaysAfter(submitted_on, 14);
  *request.mutable_submitted_on() = submitted_on;
  return request;
}

v1::RecordFundingDecisionRequest RecordFundingDecision(
    const std::string& project_id, const std::string& funding_application_id,
    v1::FundingOutcome outcome, const v1::Date& decided_on) {
  auto request = ForProject<v1::RecordFundingDecisionRequest>(project_id);
  request.set_funding_application_id(funding_application_id);
  request.set_outcome(outcome);
  if (outcome == v1::FUNDING_OUTCOME_GRANTED) {
    *request.mutable_amount_granted() = Euros(3000);
  } else {
    request.set_reason("The call was oversubscribed.");
  }
  *request.mutable_decided_on() = decided_on;
  return request;
}

v1::ContactPartnerRequest ContactPartner(const std::string& project_id,
                                         const std::string& partner_id,
                                         const v1::Date& contacted_on) {
  auto request = ForProject<v1::ContactPartnerRequest>(project_id);
  request.set_partner_id(partner_id);
  request.set_organisation_name("Musée des enfants");
  *request.mutable_contacted_on() = contacted_on;
  request.set_purpose("Test the game with visiting classes.");
  return request;
}

v1::AgreePartnershipRequest AgreePartnership(const std::string& project_id,
                                             const std::string& partner_id,
                                             const v1::Date& agreed_on) {
  auto request = ForProject<v1::AgreePartnershipRequest>(project_id);
  request.set_partner_id(partner_id);
  *request.mutable_agreed_on() = agreed_on;
  request.set_terms("The museum hosts four test sessions.");
  return request;
}

v1::PublishCommunicationRequest PublishCommunication(
    const std::string& project_id, const std::string& publication_id,
    v1::CommunicationChannel channel, const v1::Date& published_on) {
  auto request = ForProject<v1::PublishCommunicationRequest>(project_id);
  request.set_publication_id(publication_id);
  request.set_channel(channel);
  request.set_title("The museum quest opens to schools");
  request.set_link(absl::StrCat("https://example.org/news/", publication_id));
  *request.mutable_published_on() = published_on;
  return request;
}

v1::RecordEvaluationRequest RecordEvaluation(const std::string& project_id,
                                             const v1::Date& evaluated_on) {
  auto request = ForProject<v1::RecordEvaluationRequest>(project_id);
  *request.mutable_evaluated_on() = evaluated_on;
  request.set_autonomy_level(v1::AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS);
  for (int kind = v1::DELIVERABLE_KIND_DEVELOPMENT_STRATEGY;
       kind <= v1::DELIVERABLE_KIND_BUSINESS_MODEL; ++kind) {
    v1::DeliverableAssessment* assessment = request.add_assessments();
    assessment->set_kind(static_cast<v1::DeliverableKind>(kind));
    assessment->set_situation(v1::DELIVERABLE_SITUATION_COMPLETED);
  }
  request.mutable_narrative()->set_perspectives(
      "Continue as a self-employed game designer.");
  request.mutable_narrative()->set_comment("Needs help with invoicing.");
  return request;
}

v1::ProposeHandOffRequest ProposeHandOff(const std::string& project_id,
                                         const std::string& handoff_id,
                                         const v1::Date& consent_on) {
  auto request = ForProject<v1::ProposeHandOffRequest>(project_id);
  request.set_handoff_id(handoff_id);
  request.set_partner_organisation_id(kPartnerOrganisationId);
  v1::HandOffDossier* dossier = request.mutable_dossier();
  dossier->set_maturity(v1::PROJECT_MATURITY_PILOT);
  dossier->set_business_model_summary("Paid workshops for schools.");
  *dossier->mutable_revenue_to_date() = Euros(1200);
  dossier->mutable_consent()->set_given(true);
  *dossier->mutable_consent()->mutable_given_on() = consent_on;
  dossier->mutable_consent()->set_reference("consent-form-17");
  dossier->mutable_intellectual_property()->set_status(
      v1::INTELLECTUAL_PROPERTY_STATUS_ASSIGNED);
  dossier->mutable_intellectual_property()->set_agreement_reference(
      "ip-assignment-2026-04");
  return request;
}

v1::EndContractRequest EndContract(const std::string& project_id,
                                   const v1::Date& ended_on,
                                   v1::ExitOutcome outcome) {
  auto request = ForProject<v1::EndContractRequest>(project_id);
  *request.mutable_ended_on() = ended_on;
  request.set_exit_outcome(outcome);
  request.mutable_notes()->set_comment("Ended as planned.");
  return request;
}

v1::CloseProjectRequest CloseProject(const std::string& project_id) {
  return ForProject<v1::CloseProjectRequest>(project_id);
}

// ---- HandOffService ----

v1::AcceptHandOffRequest AcceptHandOff(const std::string& project_id,
                                       const std::string& handoff_id) {
  auto request = ForProject<v1::AcceptHandOffRequest>(project_id);
  request.set_handoff_id(handoff_id);
  request.set_partner_organisation_id(kPartnerOrganisationId);
  request.set_comment("Welcome to the cooperative.");
  return request;
}

v1::DeclineHandOffRequest DeclineHandOff(const std::string& project_id,
                                         const std::string& handoff_id) {
  auto request = ForProject<v1::DeclineHandOffRequest>(project_id);
  request.set_handoff_id(handoff_id);
  request.set_partner_organisation_id(kPartnerOrganisationId);
  request.set_reason("No coach free for games this year.");
  return request;
}

// ---- CohortService ----

v1::RecordGroupMeetingRequest RecordGroupMeeting(
    const std::string& call_id, const std::string& meeting_id,
    const v1::Date& held_on, const std::vector<std::string>& present_projects) {
  v1::RecordGroupMeetingRequest request;
  request.set_request_id(NewRequestId());
  request.set_call_id(call_id);
  request.set_meeting_id(meeting_id);
  *request.mutable_held_on() = held_on;
  request.set_facilitator_id("coach-1");
  request.set_duration_minutes(90);
  v1::AgendaItem* sharing = request.add_agenda_items();
  sharing->set_kind(v1::AGENDA_ITEM_KIND_EXPERIENCE_SHARING);
  sharing->set_topic("Answering a funding call");
  sharing->set_duration_minutes(45);
  v1::AgendaItem* progress = request.add_agenda_items();
  progress->set_kind(v1::AGENDA_ITEM_KIND_PROGRESS_ROUND);
  progress->set_topic("Where we stand");
  progress->set_duration_minutes(40);
  for (const std::string& project_id : present_projects) {
    request.add_present_project_ids(project_id);
    v1::SpeakingTime* time = sharing->add_speaking_times();
    time->set_project_id(project_id);
    time->set_minutes(5);
  }
  return request;
}

// ---- ProgrammeClient ----

ProgrammeClient::ProgrammeClient(std::shared_ptr<grpc::Channel> channel,
                                 absl::Duration timeout)
    : timeout_(timeout),
      selection_(v1::SelectionService::NewStub(channel)),
      project_(v1::ProjectService::NewStub(channel)),
      handoff_(v1::HandOffService::NewStub(channel)),
      cohort_(v1::CohortService::NewStub(channel)),
      server_info_(v1::ServerInfoService::NewStub(channel)) {}

// Stub of each service, by the service's name in the command list.
#define COOPCRAFT_STUB_SelectionService selection_
#define COOPCRAFT_STUB_ProjectService project_
#define COOPCRAFT_STUB_HandOffService handoff_
#define COOPCRAFT_STUB_CohortService cohort_

#define COOPCRAFT_DEFINE_SEND(Service, Rpc)                            \
  grpc::Status ProgrammeClient::Send(const v1::Rpc##Request& request,  \
                                     v1::WriteResult* result) const {  \
    grpc::ClientContext context;                                       \
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));  \
    v1::Rpc##Response response;                                        \
    grpc::Status status =                                              \
        COOPCRAFT_STUB_##Service->Rpc(&context, request, &response);   \
    if (status.ok() && result != nullptr) *result = response.result(); \
    return status;                                                     \
  }
COOPCRAFT_PROGRAMME_COMMANDS(COOPCRAFT_DEFINE_SEND)
#undef COOPCRAFT_DEFINE_SEND
#undef COOPCRAFT_STUB_SelectionService
#undef COOPCRAFT_STUB_ProjectService
#undef COOPCRAFT_STUB_HandOffService
#undef COOPCRAFT_STUB_CohortService

absl::StatusOr<uint64_t> ProgrammeClient::HeadPosition() const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  v1::GetServerInfoResponse info;
  grpc::Status status =
      server_info_->GetServerInfo(&context, v1::GetServerInfoRequest(), &info);
  if (!status.ok()) return ToAbslStatus(status);
  return info.head_position();
}

absl::Status ProgrammeClient::ToAbslStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

absl::Status OpenProjectThroughSelection(const ProgrammeClient& client,
                                         const std::string& call_id,
                                         const std::string& application_id) {
  const std::string& id = application_id;
  if (auto r = client.Call(SubmitApplication(id, call_id)); !r.ok()) {
    return r.status();
  }
  if (auto r = client.Call(ReviewApplication(id, "reviewer-1")); !r.ok()) {
    return r.status();
  }
  if (auto r = client.Call(RecordCpasOpinion(id)); !r.ok()) return r.status();
  if (auto r = client.Call(SelectCandidate(id)); !r.ok()) return r.status();
  if (auto r = client.Call(OpenProject(id)); !r.ok()) return r.status();
  return absl::OkStatus();
}

// ---- Reading error details ----

namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  details.ParseFromString(status.error_details());
  return details;
}

}  // namespace

std::vector<std::string> BadRequestFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::string ErrorReason(const grpc::Status& status) {
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

std::string ErrorMetadata(const grpc::Status& status, const std::string& key) {
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    auto it = info.metadata().find(key);
    return it == info.metadata().end() ? "" : it->second;
  }
  return "";
}

}  // namespace coopcraft::testing
