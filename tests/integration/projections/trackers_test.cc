// The trackers and the hand-off list against a real coopcraftd: commands
// in, GetFundingTracker / GetPartnerTracker / GetCommunicationTracker /
// ListHandOffs / GetHandOff out, read at the commands' positions.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "coopcraft/v1/handoff_service.grpc.pb.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

constexpr char kProject[] = "app-tracked";
constexpr char kOtherProject[] = "app-other";
constexpr char kOtherOrganisation[] = "coop-elsewhere";

template <typename Response>
struct Answer {
  grpc::Status status;
  Response response;
};

bool Names(const grpc::Status& status, const std::string& field) {
  const std::vector<std::string> fields = BadRequestFields(status);
  return std::find(fields.begin(), fields.end(), field) != fields.end() &&
         status.error_message().find(field) != std::string::npos;
}

class TrackersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto process = ServerProcess::Start({.data_dir = dir_.path() + "/data"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_ = *std::move(process);
    client_ = std::make_unique<ProgrammeClient>(process_->Channel());
    queries_ = v1::QueryService::NewStub(process_->Channel());
    handoffs_ = v1::HandOffService::NewStub(process_->Channel());
    ASSERT_TRUE(client_->Call(OpenCall("call-tr")).ok());
    ASSERT_TRUE(
        OpenProjectThroughSelection(*client_, "call-tr", kProject).ok());
    ASSERT_TRUE(
        OpenProjectThroughSelection(*client_, "call-tr", kOtherProject).ok());
  }

  // Sends `request`, remembering the last position written.
  template <typename Request>
  void Do(const Request& request) {
    auto written = client_->Call(request);
    ASSERT_TRUE(written.ok()) << written.status();
    position_ = written->position();
  }

  // Everything the trackers show, for kProject, then a hand-off to
  // kPartnerOrganisationId.
  void RecordActivity() {
    auto upcoming = SubmitFundingApplication(kProject, "fa-1", Day(2026, 4, 1));
    *upcoming.mutable_deadline() = DaysFromToday(10);
    Do(upcoming);
    Do(SubmitFundingApplication(kProject, "fa-2", Day(2026, 4, 2)));
    Do(SubmitFundingApplication(kProject, "fa-3", Day(2026, 4, 3)));
    Do(RecordFundingDecision(kProject, "fa-1", v1::FUNDING_OUTCOME_GRANTED,
                             Day(2026, 5, 4)));
    Do(RecordFundingDecision(kProject, "fa-2", v1::FUNDING_OUTCOME_REFUSED,
                             Day(2026, 5, 5)));
    Do(ContactPartner(kProject, "museum", Day(2026, 4, 1)));
    Do(ContactPartner(kProject, "library", Day(2026, 4, 2)));
    Do(AgreePartnership(kProject, "museum", Day(2026, 5, 5)));
    Do(ContactPartner(kOtherProject, "museum", Day(2026, 4, 7)));
    Do(PublishCommunication(kProject, "pub-web",
                            v1::COMMUNICATION_CHANNEL_WEBSITE,
                            Day(2026, 6, 1)));
    Do(PublishCommunication(kProject, "pub-web-2",
                            v1::COMMUNICATION_CHANNEL_WEBSITE,
                            Day(2026, 6, 20)));
    Do(PublishCommunication(kProject, "pub-news",
                            v1::COMMUNICATION_CHANNEL_NEWSLETTER,
                            Day(2026, 7, 1)));
    Do(RecordEvaluation(kProject, Day(2026, 10, 15)));
    Do(ProposeHandOff(kProject, "handoff-1", Day(2026, 10, 20)));
  }

  template <typename Request, typename Response, typename Method>
  Answer<Response> Ask(Method method, Request request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    Answer<Response> answer;
    answer.status = method(&context, request, &answer.response);
    return answer;
  }

  Answer<v1::GetFundingTrackerResponse> Funding(const std::string& project) {
    v1::GetFundingTrackerRequest request;
    request.set_project_id(project);
    request.set_min_position(position_);
    return Ask<v1::GetFundingTrackerRequest, v1::GetFundingTrackerResponse>(
        [&](auto* c, const auto& r, auto* a) {
          return queries_->GetFundingTracker(c, r, a);
        },
        request);
  }

  Answer<v1::GetPartnerTrackerResponse> Partners(const std::string& project) {
    v1::GetPartnerTrackerRequest request;
    request.set_project_id(project);
    request.set_min_position(position_);
    return Ask<v1::GetPartnerTrackerRequest, v1::GetPartnerTrackerResponse>(
        [&](auto* c, const auto& r, auto* a) {
          return queries_->GetPartnerTracker(c, r, a);
        },
        request);
  }

  Answer<v1::GetCommunicationTrackerResponse> Communication(
      const std::string& project) {
    v1::GetCommunicationTrackerRequest request;
    request.set_project_id(project);
    request.set_min_position(position_);
    return Ask<v1::GetCommunicationTrackerRequest,
               v1::GetCommunicationTrackerResponse>(
        [&](auto* c, const auto& r, auto* a) {
          return queries_->GetCommunicationTracker(c, r, a);
        },
        request);
  }

  Answer<v1::ListHandOffsResponse> List(v1::ListHandOffsRequest request) {
    request.set_min_position(position_);
    return Ask<v1::ListHandOffsRequest, v1::ListHandOffsResponse>(
        [&](auto* c, const auto& r, auto* a) {
          return handoffs_->ListHandOffs(c, r, a);
        },
        request);
  }

  Answer<v1::ListHandOffsResponse> ListFor(
      const std::string& partner,
      v1::HandOffStatus status = v1::HAND_OFF_STATUS_UNSPECIFIED) {
    v1::ListHandOffsRequest request;
    request.set_partner_organisation_id(partner);
    request.set_status(status);
    return List(request);
  }

  Answer<v1::GetHandOffResponse> Get(const std::string& project,
                                     const std::string& handoff) {
    v1::GetHandOffRequest request;
    request.set_project_id(project);
    request.set_handoff_id(handoff);
    request.set_min_position(position_);
    return Ask<v1::GetHandOffRequest, v1::GetHandOffResponse>(
        [&](auto* c, const auto& r, auto* a) {
          return handoffs_->GetHandOff(c, r, a);
        },
        request);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
  std::unique_ptr<v1::QueryService::Stub> queries_;
  std::unique_ptr<v1::HandOffService::Stub> handoffs_;
  uint64_t position_ = 0;
};

TEST_F(TrackersTest, FundingTrackerShowsStatusesSumsAndUpcomingDeadlines) {
  RecordActivity();
  auto answer = Funding(kProject);
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  EXPECT_GE(answer.response.position(), position_);
  const v1::FundingTracker& tracker = answer.response.tracker();
  EXPECT_EQ(tracker.project_id(), kProject);
  EXPECT_EQ(tracker.totals().submitted(), 1);
  EXPECT_EQ(tracker.totals().granted(), 1);
  EXPECT_EQ(tracker.totals().refused(), 1);
  EXPECT_EQ(tracker.totals().amount_requested().cents(), 3 * 500000);
  EXPECT_EQ(tracker.totals().amount_pending().cents(), 500000);
  EXPECT_EQ(tracker.totals().amount_granted().cents(), 300000);
  ASSERT_EQ(tracker.applications_size(), 3);
  EXPECT_EQ(tracker.applications(0).status(),
            v1::FUNDING_APPLICATION_STATUS_GRANTED);
  // Only fa-1's call closes in the future.
  ASSERT_EQ(tracker.upcoming_deadlines_size(), 1);
  EXPECT_EQ(
      tracker.upcoming_deadlines(0).application().funding_application_id(),
      "fa-1");
  EXPECT_GE(tracker.upcoming_deadlines(0).days_left(), 9);
  EXPECT_LE(tracker.upcoming_deadlines(0).days_left(), 11);

  auto programme = Funding("");
  ASSERT_TRUE(programme.status.ok()) << programme.status.error_message();
  EXPECT_TRUE(programme.response.tracker().project_id().empty());
  EXPECT_EQ(programme.response.tracker().totals().granted(), 1);
  ASSERT_EQ(programme.response.tracker().projects_size(), 1);
  EXPECT_EQ(programme.response.tracker().projects(0).project_id(), kProject);
  EXPECT_EQ(programme.response.tracker().upcoming_deadlines_size(), 1);
}

TEST_F(TrackersTest, PartnerTrackerShowsContactsAgreementsAndTheNetwork) {
  RecordActivity();
  auto answer = Partners(kProject);
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  const v1::PartnerTracker& tracker = answer.response.tracker();
  EXPECT_EQ(tracker.partners_contacted(), 2);
  EXPECT_EQ(tracker.partnerships_agreed(), 1);
  ASSERT_EQ(tracker.partners_size(), 2);
  EXPECT_EQ(tracker.partners(0).partner_id(), "museum");
  EXPECT_EQ(tracker.partners(0).status(), v1::PARTNER_RELATION_STATUS_AGREED);

  auto network = Partners("");
  ASSERT_TRUE(network.status.ok()) << network.status.error_message();
  EXPECT_EQ(network.response.tracker().partners_contacted(), 3);
  EXPECT_EQ(network.response.tracker().partnerships_agreed(), 1);
  ASSERT_EQ(network.response.tracker().organisations_size(), 2);
  const v1::PartnerOrganisationSummary& museum =
      network.response.tracker().organisations(1);
  EXPECT_EQ(museum.partner_id(), "museum");
  ASSERT_EQ(museum.contacted_by_size(), 2);
  EXPECT_EQ(museum.contacted_by(0), kOtherProject);
  EXPECT_EQ(museum.contacted_by(1), kProject);
  ASSERT_EQ(museum.agreed_with_size(), 1);
  EXPECT_EQ(museum.agreed_with(0), kProject);
}

TEST_F(TrackersTest, CommunicationTrackerCountsByChannelAndMonth) {
  RecordActivity();
  auto answer = Communication(kProject);
  ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  const v1::CommunicationTracker& tracker = answer.response.tracker();
  EXPECT_EQ(tracker.publications(), 3);
  ASSERT_EQ(tracker.by_channel_size(), 2);
  EXPECT_EQ(tracker.by_channel(0).channel(), v1::COMMUNICATION_CHANNEL_WEBSITE);
  EXPECT_EQ(tracker.by_channel(0).count(), 2);
  ASSERT_EQ(tracker.by_month_size(), 2);
  EXPECT_EQ(tracker.by_month(0).month(), "2026-06");
  EXPECT_EQ(tracker.by_month(0).count(), 2);
  EXPECT_EQ(tracker.by_month(1).month(), "2026-07");

  auto programme = Communication("");
  ASSERT_TRUE(programme.status.ok()) << programme.status.error_message();
  EXPECT_EQ(programme.response.tracker().publications(), 3);
  EXPECT_EQ(programme.response.tracker().projects_size(), 1);
}

TEST_F(TrackersTest, UnknownProjectIsNotFoundForEveryTracker) {
  EXPECT_EQ(Funding("app-none").status.error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Partners("app-none").status.error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Communication("app-none").status.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TrackersTest, HandOffIsListedForItsPartnerOnlyAndShowsItsAnswer) {
  RecordActivity();
  auto listed = ListFor(kPartnerOrganisationId);
  ASSERT_TRUE(listed.status.ok()) << listed.status.error_message();
  EXPECT_GE(listed.response.position(), position_);
  ASSERT_EQ(listed.response.handoffs_size(), 1);
  const v1::HandOffView& view = listed.response.handoffs(0);
  EXPECT_EQ(view.project_id(), kProject);
  EXPECT_EQ(view.handoff_id(), "handoff-1");
  EXPECT_EQ(view.status(), v1::HAND_OFF_STATUS_PROPOSED);
  EXPECT_TRUE(view.dossier().consent().given());
  EXPECT_TRUE(listed.response.next_page_token().empty());

  auto elsewhere = ListFor(kOtherOrganisation);
  ASSERT_TRUE(elsewhere.status.ok()) << elsewhere.status.error_message();
  EXPECT_EQ(elsewhere.response.handoffs_size(), 0);

  Do(AcceptHandOff(kProject, "handoff-1"));
  auto got = Get(kProject, "handoff-1");
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  EXPECT_EQ(got.response.handoff().status(), v1::HAND_OFF_STATUS_ACCEPTED);
  EXPECT_TRUE(got.response.handoff().has_accepted_on());
  auto latest = Get(kProject, "");
  ASSERT_TRUE(latest.status.ok()) << latest.status.error_message();
  EXPECT_EQ(latest.response.handoff().handoff_id(), "handoff-1");

  EXPECT_EQ(ListFor(kPartnerOrganisationId, v1::HAND_OFF_STATUS_PROPOSED)
                .response.handoffs_size(),
            0);
  EXPECT_EQ(ListFor(kPartnerOrganisationId, v1::HAND_OFF_STATUS_ACCEPTED)
                .response.handoffs_size(),
            1);
}

TEST_F(TrackersTest, UnknownHandOffIsNotFound) {
  auto answer = Get(kProject, "handoff-9");
  EXPECT_EQ(answer.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorReason(answer.status), "HANDOFF_NOT_FOUND");
  EXPECT_EQ(Get("app-none", "").status.error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TrackersTest, BadRequestsNameTheirField) {
  auto no_partner = ListFor("");
  EXPECT_EQ(no_partner.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(no_partner.status, "partner_organisation_id"))
      << no_partner.status.error_message();

  v1::ListHandOffsRequest bad_page;
  bad_page.set_partner_organisation_id(kPartnerOrganisationId);
  bad_page.set_page_size(-1);
  bad_page.set_page_token("not-a-token");
  auto paged = List(bad_page);
  EXPECT_EQ(paged.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(paged.status, "page_size")) << paged.status.error_message();

  bad_page.set_page_size(0);
  auto token = List(bad_page);
  EXPECT_EQ(token.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(token.status, "page_token"))
      << token.status.error_message();

  auto status =
      ListFor(kPartnerOrganisationId, static_cast<v1::HandOffStatus>(42));
  EXPECT_EQ(status.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(status.status, "status")) << status.status.error_message();

  auto no_project = Get("", "handoff-1");
  EXPECT_EQ(no_project.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(no_project.status, "project_id"))
      << no_project.status.error_message();

  // handoff_id is optional, but when set it must be an id.
  auto bad_handoff = Get(kProject, "Handoff 1");
  EXPECT_EQ(bad_handoff.status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Names(bad_handoff.status, "handoff_id"))
      << bad_handoff.status.error_message();

  // A tracker's project_id, when set, must be an id.
  for (const grpc::Status& bad_id :
       {Funding("Not An Id!").status, Partners("Not An Id!").status,
        Communication("Not An Id!").status}) {
    EXPECT_EQ(bad_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(Names(bad_id, "project_id")) << bad_id.error_message();
  }
}

}  // namespace
}  // namespace coopcraft::testing
