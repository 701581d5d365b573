// Valid requests for every command of the programme's four command services,
// and ProgrammeClient, which sends them to a running coopcraftd. Shared by the
// integration tests and the load generator, so a request shape is written
// once. Every builder takes the ids it needs and a fresh random request_id;
// tests change only the field they are about.
//
// The builders tell one story, dated in 2026 so that every fact lies in the
// past: call opens 5 Jan, dossiers arrive 2 Feb, reviews 9 Feb, CPAS
// opinions 10 Feb, decisions 12 Feb, contract start 2 Mar (a Monday, under
// the rule set in force from 1 Mar 2026), follow-up work from March to
// October. Only a call's closing day and a scheduled meeting lie ahead.
#ifndef COOPCRAFT_TESTS_SUPPORT_PROGRAMME_REQUESTS_H_
#define COOPCRAFT_TESTS_SUPPORT_PROGRAMME_REQUESTS_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coopcraft/v1/cohort_service.grpc.pb.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/handoff_service.grpc.pb.h"
#include "coopcraft/v1/project_service.grpc.pb.h"
#include "coopcraft/v1/selection_service.grpc.pb.h"
#include "coopcraft/v1/server_info.grpc.pb.h"

// X(Service, Rpc) for every command RPC, in programme order.
#define COOPCRAFT_PROGRAMME_COMMANDS(X)        \
  X(SelectionService, OpenCall)                \
  X(SelectionService, CloseCall)               \
  X(SelectionService, SubmitApplication)       \
  X(SelectionService, ReviewApplication)       \
  X(SelectionService, RecordCpasOpinion)       \
  X(SelectionService, SelectCandidate)         \
  X(SelectionService, WaitlistCandidate)       \
  X(SelectionService, RejectCandidate)         \
  X(SelectionService, WithdrawApplication)     \
  X(ProjectService, OpenProject)               \
  X(ProjectService, RecordWorkedDays)          \
  X(ProjectService, DraftDeliverable)          \
  X(ProjectService, SubmitDeliverable)         \
  X(ProjectService, RequestDeliverableChanges) \
  X(ProjectService, ValidateDeliverable)       \
  X(ProjectService, AssignMentor)              \
  X(ProjectService, ScheduleMentorMeeting)     \
  X(ProjectService, RecordMentorMeeting)       \
  X(ProjectService, RecordInterview)           \
  X(ProjectService, LogAction)                 \
  X(ProjectService, PlanMilestone)             \
  X(ProjectService, MoveMilestone)             \
  X(ProjectService, CompleteMilestone)         \
  X(ProjectService, RequestResource)           \
  X(ProjectService, DecideResourceRequest)     \
  X(ProjectService, SubmitFundingApplication)  \
  X(ProjectService, RecordFundingDecision)     \
  X(ProjectService, ContactPartner)            \
  X(ProjectService, AgreePartnership)          \
  X(ProjectService, PublishCommunication)      \
  X(ProjectService, RecordEvaluation)          \
  X(ProjectService, ProposeHandOff)            \
  X(ProjectService, EndContract)               \
  X(ProjectService, CloseProject)              \
  X(HandOffService, AcceptHandOff)             \
  X(HandOffService, DeclineHandOff)            \
  X(CohortService, RecordGroupMeeting)

namespace coopcraft::testing {

namespace v1 = ::coopcraft::v1;

// ---- Ids and dates ----

// A random version-4 UUID in lower case: a fresh request_id.
std::string NewRequestId();
// A version-7 UUID in lower case (Unix milliseconds now, then random bits):
// a fresh request_id whose events the log indexes near its end.
std::string NewTimeOrderedRequestId();

v1::Date Day(int year, int month, int day);
// The UTC civil day `days` from now (negative: in the past).
v1::Date DaysFromToday(int days);

// The CPAS every applicant of the story comes from, the user organisation,
// and the partner organisation hand-offs go to.
inline constexpr char kCpasId[] = "cpas-ixelles";
inline constexpr char kUserOrganisationId[] = "arts-et-publics";
inline constexpr char kPartnerOrganisationId[] = "job-yourself";

// The story's calendar (see the file comment).
v1::Date CallOpensOn();      // 2026-01-05
v1::Date ReceivedOn();       // 2026-02-02
v1::Date ReviewedOn();       // 2026-02-09
v1::Date OpinionOn();        // 2026-02-10
v1::Date DecidedOn();        // 2026-02-12
v1::Date ContractStartOn();  // 2026-03-02

// ---- SelectionService ----

// Closes 60 days from today; partner CPAS kCpasId and cpas-molenbeek;
// rubric motivation/5, project/5, feasibility/10.
v1::OpenCallRequest OpenCall(const std::string& call_id);
v1::CloseCallRequest CloseCall(const std::string& call_id,
                               const v1::Date& closed_on);
// From person "person-<application_id>", born 1990-05-20, of kCpasId.
v1::SubmitApplicationRequest SubmitApplication(
    const std::string& application_id, const std::string& call_id);
// Scores every criterion of OpenCall's rubric.
v1::ReviewApplicationRequest ReviewApplication(
    const std::string& application_id, const std::string& reviewer_id,
    v1::ReviewRecommendation recommendation = v1::REVIEW_RECOMMENDATION_SELECT);
// Given by kCpasId, with a comment (required for anything but favourable).
v1::RecordCpasOpinionRequest RecordCpasOpinion(
    const std::string& application_id,
    v1::CpasOpinion opinion = v1::CPAS_OPINION_FAVOURABLE);
v1::SelectCandidateRequest SelectCandidate(const std::string& application_id);
v1::WaitlistCandidateRequest WaitlistCandidate(
    const std::string& application_id, int rank);
v1::RejectCandidateRequest RejectCandidate(
    const std::string& application_id,
    v1::RejectionReason reason = v1::REJECTION_REASON_INSUFFICIENT_SCORE);
v1::WithdrawApplicationRequest WithdrawApplication(
    const std::string& application_id);

// ---- ProjectService ----

// Employed by kCpasId for kUserOrganisationId from ContractStartOn().
v1::OpenProjectRequest OpenProject(const std::string& project_id);
v1::RecordWorkedDaysRequest RecordWorkedDays(const std::string& project_id,
                                             const v1::Date& period_start,
                                             const v1::Date& period_end,
                                             int days);
v1::DraftDeliverableRequest DraftDeliverable(const std::string& project_id,
                                             v1::DeliverableKind kind);
v1::SubmitDeliverableRequest SubmitDeliverable(const std::string& project_id,
                                               v1::DeliverableKind kind);
v1::RequestDeliverableChangesRequest RequestDeliverableChanges(
    const std::string& project_id, v1::DeliverableKind kind);
v1::ValidateDeliverableRequest ValidateDeliverable(
    const std::string& project_id, v1::DeliverableKind kind);
// Without a day: the server dates the assignment today.
v1::AssignMentorRequest AssignMentor(const std::string& project_id,
                                     const std::string& mentor_id);
// Recorded late: assigned on `assigned_on`.
v1::AssignMentorRequest AssignMentor(const std::string& project_id,
                                     const std::string& mentor_id,
                                     const v1::Date& assigned_on);
v1::ScheduleMentorMeetingRequest ScheduleMentorMeeting(
    const std::string& project_id, const std::string& meeting_id,
    const v1::Date& scheduled_for);
v1::RecordMentorMeetingRequest RecordMentorMeeting(
    const std::string& project_id, const std::string& meeting_id,
    const v1::Date& held_on);
v1::RecordInterviewRequest RecordInterview(const std::string& project_id,
                                           const v1::Date& held_on);
// Titled "Action <action_id>", with a description of about 150 bytes.
v1::LogActionRequest LogAction(const std::string& project_id,
                               const std::string& action_id,
                               v1::ActionLine line = v1::ACTION_LINE_PRODUCTION,
                               const v1::Date& occurred_on = Day(2026, 3, 10));
v1::PlanMilestoneRequest PlanMilestone(const std::string& project_id,
                                       const std::string& milestone_id,
                                       const v1::Date& start_date,
                                       const v1::Date& end_date);
v1::MoveMilestoneRequest MoveMilestone(const std::string& project_id,
                                       const std::string& milestone_id,
                                       const v1::Date& start_date,
                                       const v1::Date& end_date);
v1::CompleteMilestoneRequest CompleteMilestone(const std::string& project_id,
                                               const std::string& milestone_id,
                                               const v1::Date& completed_on);
// Equipment needed from 2026-04-01 to 2026-09-30.
v1::RequestResourceRequest RequestResource(
    const std::string& project_id, const std::string& resource_request_id);
// A declined request carries its reason in the comment.
v1::DecideResourceRequestRequest DecideResourceRequest(
    const std::string& project_id, const std::string& resource_request_id,
    v1::ResourceDecision decision);
// 5,000.00 EUR asked on `submitted_on`, deadline two weeks later.
v1::SubmitFundingApplicationRequest SubmitFundingApplication(
    const std::string& project_id, const std::string& funding_application_id,
    const v1::Date& submitted_on);
// A grant of 3,000.00 EUR, or a refusal with a reason.
v1::RecordFundingDecisionRequest RecordFundingDecision(
    const std::string& project_id, const std::string& funding_application_id,
    v1::FundingOutcome outcome, const v1::Date& decided_on);
v1::ContactPartnerRequest ContactPartner(const std::string& project_id,
                                         const std::string& partner_id,
                                         const v1::Date& contacted_on);
v1::AgreePartnershipRequest AgreePartnership(const std::string& project_id,
                                             const std::string& partner_id,
                                             const v1::Date& agreed_on);
// With an https link (required online, accepted in print too).
v1::PublishCommunicationRequest PublishCommunication(
    const std::string& project_id, const std::string& publication_id,
    v1::CommunicationChannel channel, const v1::Date& published_on);
// Assesses all seven deliverables; partially autonomous.
v1::RecordEvaluationRequest RecordEvaluation(const std::string& project_id,
                                             const v1::Date& evaluated_on);
// To kPartnerOrganisationId, with consent given on `consent_on`.
v1::ProposeHandOffRequest ProposeHandOff(const std::string& project_id,
                                         const std::string& handoff_id,
                                         const v1::Date& consent_on);
v1::EndContractRequest EndContract(const std::string& project_id,
                                   const v1::Date& ended_on,
                                   v1::ExitOutcome outcome);
v1::CloseProjectRequest CloseProject(const std::string& project_id);

// ---- HandOffService ----

// Answered by kPartnerOrganisationId.
v1::AcceptHandOffRequest AcceptHandOff(const std::string& project_id,
                                       const std::string& handoff_id);
v1::DeclineHandOffRequest DeclineHandOff(const std::string& project_id,
                                         const std::string& handoff_id);

// ---- CohortService ----

// 90 minutes, facilitated by coach-1: experience sharing (each present
// project speaks 5 minutes) and a progress round.
v1::RecordGroupMeetingRequest RecordGroupMeeting(
    const std::string& call_id, const std::string& meeting_id,
    const v1::Date& held_on, const std::vector<std::string>& present_projects);

// ---- Sending ----

// The four command services and ServerInfoService over one channel.
// Thread-safe: stubs may be shared by any number of threads.
class ProgrammeClient {
 public:
  // Every call gets `timeout` as its deadline.
  explicit ProgrammeClient(std::shared_ptr<grpc::Channel> channel,
                           absl::Duration timeout = absl::Seconds(30));

  // Sends one command; on OK fills `*result` with where it was written.
  // The returned status keeps the google.rpc.Status details.
#define COOPCRAFT_DECLARE_SEND(Service, Rpc)         \
  grpc::Status Send(const v1::Rpc##Request& request, \
                    v1::WriteResult* result = nullptr) const;
  COOPCRAFT_PROGRAMME_COMMANDS(COOPCRAFT_DECLARE_SEND)
#undef COOPCRAFT_DECLARE_SEND

  // Sends one command: its WriteResult, or the call's status as an
  // absl::Status (same code and message).
  template <typename Request>
  absl::StatusOr<v1::WriteResult> Call(const Request& request) const {
    v1::WriteResult result;
    grpc::Status status = Send(request, &result);
    if (!status.ok()) return ToAbslStatus(status);
    return result;
  }

  // GetServerInfo().head_position: the log's last committed position.
  absl::StatusOr<uint64_t> HeadPosition() const;

  v1::SelectionService::Stub& selection() const { return *selection_; }
  v1::ProjectService::Stub& project() const { return *project_; }
  v1::HandOffService::Stub& handoff() const { return *handoff_; }
  v1::CohortService::Stub& cohort() const { return *cohort_; }
  v1::ServerInfoService::Stub& server_info() const { return *server_info_; }

  static absl::Status ToAbslStatus(const grpc::Status& status);

 private:
  absl::Duration timeout_;
  std::unique_ptr<v1::SelectionService::Stub> selection_;
  std::unique_ptr<v1::ProjectService::Stub> project_;
  std::unique_ptr<v1::HandOffService::Stub> handoff_;
  std::unique_ptr<v1::CohortService::Stub> cohort_;
  std::unique_ptr<v1::ServerInfoService::Stub> server_info_;
};

// Runs the selection flow for `application_id` on the open call `call_id`
// (submit, review, favourable CPAS opinion, select) and opens its project;
// the project id is the application id. The first error, if any.
absl::Status OpenProjectThroughSelection(const ProgrammeClient& client,
                                         const std::string& call_id,
                                         const std::string& application_id);

// ---- Reading error details ----

// Fields named by the google.rpc.BadRequest in `status`'s details.
std::vector<std::string> BadRequestFields(const grpc::Status& status);
// Reason of the google.rpc.ErrorInfo in `status`'s details; empty if none.
std::string ErrorReason(const grpc::Status& status);
// Metadata `key` of that ErrorInfo; empty if none.
std::string ErrorMetadata(const grpc::Status& status, const std::string& key);

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_SUPPORT_PROGRAMME_REQUESTS_H_
