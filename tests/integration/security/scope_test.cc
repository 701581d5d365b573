// Row scope and token life against the real coopcraftd: a CPAS sees its
// beneficiaries only, a mentor their mentees, a partner the hand-offs
// addressed to it; dashboards never receive personal data; revocation is
// immediate; secrets are never stored.
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "coopcraft/v1/admin_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "coopcraft/v1/handoff_service.grpc.pb.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "coopcraft/v1/server_info.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/security/security_fixture.h"
#include "tests/support/programme_requests.h"
#include "tests/support/project_queries.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-scope";
constexpr char kProject[] = "app-scoped";
constexpr char kHandOff[] = "handoff-1";
constexpr char kOtherCpas[] = "cpas-molenbeek";
constexpr char kOtherPartner[] = "coop-elsewhere";

class ScopeTest : public SecurityFixture {
 protected:
  void SetUp() override {
    SecurityFixture::SetUp();
    if (HasFatalFailure()) return;
    ProgrammeClient staff(server().Channel());
    ASSERT_TRUE(staff.Call(OpenCall(kCall)).ok());
    ASSERT_TRUE(OpenProjectThroughSelection(staff, kCall, kProject).ok());
    ASSERT_TRUE(staff.Call(AssignMentor(kProject, kMentorId)).ok());
    ASSERT_TRUE(staff.Call(RecordEvaluation(kProject, Day(2026, 10, 15))).ok());
    auto proposed =
        staff.Call(ProposeHandOff(kProject, kHandOff, Day(2026, 10, 20)));
    ASSERT_TRUE(proposed.ok()) << proposed.status();
    position_ = proposed->position();
  }

  std::string Token(const std::string& principal, v1::Role role,
                    const std::string& scope) {
    auto created = CreateToken(principal, role, scope);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->secret() : "";
  }

  // GetProject at position_ as the holder of `token`, given the 30 s of
  // Deadline() like the fixture's other calls: a sanitized build is slow.
  absl::StatusOr<v1::GetProjectResponse> GetProject(const std::string& token,
                                                    const std::string& id) {
    return GetProjectAt(
        *v1::QueryService::NewStub(server().ChannelWithToken(token)), id,
        position_, absl::Seconds(30));
  }

  grpc::Status ListProjects(const std::string& token, const std::string& cpas,
                            v1::ListProjectsResponse* response) {
    v1::ListProjectsRequest request;
    request.set_employing_cpas_id(cpas);
    request.set_min_position(position_);
    return v1::QueryService::NewStub(server().ChannelWithToken(token))
        ->ListProjects(Deadline().get(), request, response);
  }

  uint64_t position_ = 0;
};

TEST_F(ScopeTest, CpasReadsAndWritesOnlyItsOwnBeneficiaries) {
  const std::string own = TokenFor(v1::ROLE_CPAS);  // kCpasId employs
  const std::string other = Token("cpas-y-worker", v1::ROLE_CPAS, kOtherCpas);

  auto project = GetProject(own, kProject);
  ASSERT_TRUE(project.ok()) << project.status();
  EXPECT_EQ(project->project().employing_cpas_id(), kCpasId);
  EXPECT_EQ(GetProject(other, kProject).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Unknown and out of scope look the same: no probing for ids.
  EXPECT_EQ(GetProject(other, "app-unknown").status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::ListProjectsResponse list;
  ASSERT_TRUE(ListProjects(own, "", &list).ok());
  ASSERT_EQ(list.projects_size(), 1);
  ASSERT_TRUE(ListProjects(other, "", &list).ok());
  EXPECT_EQ(list.projects_size(), 0);
  const grpc::Status listed_other = ListProjects(other, kCpasId, &list);
  EXPECT_EQ(listed_other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(listed_other), "OUT_OF_SCOPE");

  const auto worked =
      RecordWorkedDays(kProject, ContractStartOn(), DaysFromToday(-1), 5);
  EXPECT_EQ(ProgrammeClient(server().ChannelWithToken(other))
                .Call(worked)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      ProgrammeClient(server().ChannelWithToken(own)).Call(worked).ok());
}

TEST_F(ScopeTest, MentorSeesOnlyTheirMentees) {
  const std::string mentor = TokenFor(v1::ROLE_MENTOR);
  const std::string stranger = Token("mentor-b", v1::ROLE_MENTOR, "mentor-b");
  EXPECT_TRUE(GetProject(mentor, kProject).ok());
  EXPECT_EQ(GetProject(stranger, kProject).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListProjectsResponse list;
  ASSERT_TRUE(ListProjects(stranger, "", &list).ok());
  EXPECT_EQ(list.projects_size(), 0);
  ASSERT_TRUE(ListProjects(mentor, "", &list).ok());
  EXPECT_EQ(list.projects_size(), 1);

  const auto meeting =
      ScheduleMentorMeeting(kProject, "meeting-1", DaysFromToday(7));
  EXPECT_EQ(ProgrammeClient(server().ChannelWithToken(stranger))
                .Call(meeting)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      ProgrammeClient(server().ChannelWithToken(mentor)).Call(meeting).ok());
}

TEST_F(ScopeTest, PartnerSeesAndAnswersOnlyTheHandOffsAddressedToIt) {
  const std::string partner_a = TokenFor(v1::ROLE_PARTNER);
  const std::string partner_b =
      Token("coop-b", v1::ROLE_PARTNER, kOtherPartner);
  auto as = [&](const std::string& token) {
    return v1::HandOffService::NewStub(server().ChannelWithToken(token));
  };

  v1::ListHandOffsRequest list;
  list.set_min_position(position_);
  list.set_partner_organisation_id(kPartnerOrganisationId);
  v1::ListHandOffsResponse listed;
  EXPECT_EQ(
      as(partner_b)->ListHandOffs(Deadline().get(), list, &listed).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      as(partner_a)->ListHandOffs(Deadline().get(), list, &listed).ok());
  EXPECT_EQ(listed.handoffs_size(), 1);
  list.set_partner_organisation_id(kOtherPartner);
  ASSERT_TRUE(
      as(partner_b)->ListHandOffs(Deadline().get(), list, &listed).ok());
  EXPECT_EQ(listed.handoffs_size(), 0);

  v1::GetHandOffRequest get;
  get.set_project_id(kProject);
  get.set_min_position(position_);
  v1::GetHandOffResponse got;
  EXPECT_EQ(as(partner_b)->GetHandOff(Deadline().get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(as(partner_a)->GetHandOff(Deadline().get(), get, &got).ok());

  // B can accept neither in A's name nor in its own.
  v1::AcceptHandOffRequest accept = AcceptHandOff(kProject, kHandOff);
  ProgrammeClient b(server().ChannelWithToken(partner_b));
  EXPECT_EQ(b.Call(accept).status().code(),
            absl::StatusCode::kPermissionDenied);
  accept.set_partner_organisation_id(kOtherPartner);
  accept.set_request_id(NewRequestId());
  EXPECT_EQ(b.Call(accept).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ProgrammeClient(server().ChannelWithToken(partner_a))
                  .Call(AcceptHandOff(kProject, kHandOff))
                  .ok());
}

// Everything a subscription from the start delivers up to `head`, payload
// bytes concatenated.
std::string SubscribedPayloads(const std::shared_ptr<grpc::Channel>& channel,
                               uint64_t head) {
  v1::SubscribeRequest request;
  request.set_from_start(true);
  auto context = Deadline();
  auto reader = v1::EventStreamService::NewStub(channel)->Subscribe(
      context.get(), request);
  std::string payloads;
  v1::SubscribeResponse message;
  uint64_t last = 0;
  while (last < head && reader->Read(&message)) {
    for (const auto& event : message.events().events()) {
      payloads += event.payload().value();
      last = event.position();
    }
  }
  context->TryCancel();
  EXPECT_EQ(last, head);
  return payloads;
}

TEST_F(ScopeTest, DashboardStreamsCarryNoPersonalData) {
  // The seeded applicant (programme_requests.cc): names, e-mail, phone and
  // the birth date 1990-05-20 as its serialized Date.
  const std::vector<std::string> personal = {
      "Amina", "El Idrissi", "amina@example.org", "+32 470 12 34 56",
      std::string("\x08\xc6\x0f\x10\x05\x18\x14", 7)};
  const std::string for_dashboard = SubscribedPayloads(
      server().ChannelWithToken(TokenFor(v1::ROLE_DASHBOARD)), position_);
  const std::string for_coach = SubscribedPayloads(
      server().ChannelWithToken(TokenFor(v1::ROLE_COACH)), position_);
  for (const std::string& plaintext : personal) {
    EXPECT_FALSE(absl::StrContains(for_dashboard, plaintext)) << plaintext;
    // The scan can fail: staff do receive them.
    EXPECT_TRUE(absl::StrContains(for_coach, plaintext)) << plaintext;
  }
  // Person ids come as stable pseudonyms.
  const std::string person = absl::StrCat("person-", kProject);
  EXPECT_TRUE(absl::StrContains(for_coach, person));
  EXPECT_FALSE(absl::StrContains(for_dashboard, person));
  EXPECT_TRUE(absl::StrContains(for_dashboard, "anon-"));

  v1::ReadAllRequest read_all;
  read_all.set_from_position(1);
  read_all.set_page_size(1000);
  v1::ReadAllResponse all;
  ASSERT_TRUE(v1::EventStreamService::NewStub(
                  server().ChannelWithToken(TokenFor(v1::ROLE_AUDITOR)))
                  ->ReadAll(Deadline().get(), read_all, &all)
                  .ok());
  std::string for_auditor;
  for (const auto& event : all.events()) for_auditor += event.payload().value();
  ASSERT_FALSE(for_auditor.empty());
  for (const std::string& plaintext : personal) {
    EXPECT_FALSE(absl::StrContains(for_auditor, plaintext)) << plaintext;
  }
  EXPECT_FALSE(absl::StrContains(for_auditor, person));
}

TEST_F(ScopeTest, ARevokedTokenStopsWorkingAtOnce) {
  auto created = CreateToken("coach-leaving", v1::ROLE_COACH, "");
  ASSERT_TRUE(created.ok()) << created.status();
  auto info = v1::ServerInfoService::NewStub(
      server().ChannelWithToken(created->secret()));
  v1::GetServerInfoResponse response;
  ASSERT_TRUE(info->GetServerInfo(Deadline().get(), {}, &response).ok());

  auto revoked = RevokeToken(created->token().token_id());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->token().revoked());
  EXPECT_EQ(info->GetServerInfo(Deadline().get(), {}, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// Every role may ask whether the server answers and how far its log is;
// only operators learn where it keeps its files.
TEST_F(ScopeTest, OnlyOperatorsSeeTheDataDirectory) {
  for (v1::Role role :
       {v1::ROLE_COACH, v1::ROLE_CPAS, v1::ROLE_MENTOR, v1::ROLE_PARTNER,
        v1::ROLE_AUDITOR, v1::ROLE_DASHBOARD}) {
    v1::GetServerInfoResponse response;
    const grpc::Status status =
        v1::ServerInfoService::NewStub(
            server().ChannelWithToken(TokenFor(role)))
            ->GetServerInfo(Deadline().get(), {}, &response);
    ASSERT_TRUE(status.ok())
        << v1::Role_Name(role) << ": " << status.error_message();
    EXPECT_FALSE(response.version().empty()) << v1::Role_Name(role);
    EXPECT_EQ(response.data_dir().empty(), role != v1::ROLE_COACH)
        << v1::Role_Name(role) << ": " << response.data_dir();
  }
  v1::GetServerInfoResponse admin;
  ASSERT_TRUE(v1::ServerInfoService::NewStub(server().Channel())
                  ->GetServerInfo(Deadline().get(), {}, &admin)
                  .ok());
  EXPECT_FALSE(admin.data_dir().empty());
}

// A subscription outlives the call that admitted it: once its token is
// revoked it delivers nothing more and ends UNAUTHENTICATED.
TEST_F(ScopeTest, ARevokedTokenEndsItsSubscription) {
  auto created = CreateToken("dashboard-leaving", v1::ROLE_DASHBOARD, "");
  ASSERT_TRUE(created.ok()) << created.status();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::SubscribeRequest subscribe;
  subscribe.set_from_end(true);
  auto stream = v1::EventStreamService::NewStub(
                    server().ChannelWithToken(created->secret()))
                    ->Subscribe(&context, subscribe);
  // Reads until a message with events; false when the stream ended first.
  auto next_events = [&stream](v1::EventBatch* events) {
    v1::SubscribeResponse message;
    while (stream->Read(&message)) {
      if (message.has_events()) {
        *events = message.events();
        return true;
      }
    }
    return false;
  };
  ProgrammeClient staff(server().Channel());
  ASSERT_TRUE(staff.Call(OpenCall("call-before-revocation")).ok());
  v1::EventBatch before;
  ASSERT_TRUE(next_events(&before));
  EXPECT_EQ(before.events_size(), 1);

  auto revoked = RevokeToken(created->token().token_id());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  ASSERT_TRUE(staff.Call(OpenCall("call-after-revocation")).ok());
  v1::EventBatch after;
  EXPECT_FALSE(next_events(&after)) << after.DebugString();
  const grpc::Status ended = stream->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << ended.error_message();
}

TEST_F(ScopeTest, TokensSurviveRestartAndRevocationsToo) {
  auto kept = CreateToken("coach-kept", v1::ROLE_COACH, "");
  auto revoked = CreateToken("coach-gone", v1::ROLE_COACH, "");
  ASSERT_TRUE(kept.ok() && revoked.ok());
  auto answer = RevokeToken(revoked->token().token_id());
  ASSERT_TRUE(answer.ok()) << answer.status();
  const std::string admin_token = server().AdminToken();

  server().Stop(SIGKILL);
  auto restarted = ServerProcess::Start({.data_dir = data_dir()});
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  // The first start's file is kept: no second admin token was made.
  EXPECT_EQ((*restarted)->AdminToken(), admin_token);
  v1::GetServerInfoResponse response;
  EXPECT_TRUE(v1::ServerInfoService::NewStub(
                  (*restarted)->ChannelWithToken(kept->secret()))
                  ->GetServerInfo(Deadline().get(), {}, &response)
                  .ok());
  EXPECT_EQ(v1::ServerInfoService::NewStub(
                (*restarted)->ChannelWithToken(revoked->secret()))
                ->GetServerInfo(Deadline().get(), {}, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(ScopeTest, SecretsAreShownOnceAndStoredOnlyAsHashes) {
  auto created = CreateToken("coach-hashed", v1::ROLE_COACH, "");
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(absl::StartsWith(created->secret(), "cct_"));

  v1::ListTokensRequest list;
  list.set_include_revoked(true);
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(v1::AdminService::NewStub(server().Channel())
                  ->ListTokens(Deadline().get(), list, &tokens)
                  .ok());
  bool listed = false;
  for (const auto& token : tokens.tokens()) {
    EXPECT_FALSE(absl::StrContains(token.DebugString(), created->secret()));
    listed = listed || token.token_id() == created->token().token_id();
  }
  EXPECT_TRUE(listed);

  // Nowhere in the data dir (WAL and tables included), but the file the
  // first start wrote the admin secret to, which holds that one only.
  server().Stop(SIGTERM);
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_FALSE(absl::StrContains(ReadAll(entry.path()), created->secret()))
        << entry.path();
  }
  EXPECT_GT(files, 3);
}

TEST_F(ScopeTest, TheBootstrapTokenFileIsReadableByItsOwnerOnly) {
  struct stat info {};
  ASSERT_EQ(stat(server().AdminTokenFile().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_TRUE(absl::StartsWith(server().AdminToken(), "cct_"));
}

TEST_F(ScopeTest, CreateTokenNamesEachBadField) {
  v1::CreateTokenRequest request;
  request.set_principal("has spaces");
  request.set_role(v1::ROLE_COACH);
  request.set_scope("cpas-ixelles");  // unscoped roles take none
  v1::CreateTokenResponse response;
  const grpc::Status status =
      v1::AdminService::NewStub(server().Channel())
          ->CreateToken(Deadline().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = BadRequestFields(status);
  EXPECT_EQ(fields, (std::vector<std::string>{"principal", "scope"}));

  request.set_principal("partner.x");
  request.set_role(v1::ROLE_PARTNER);
  request.clear_scope();  // scoped roles need one
  EXPECT_EQ(
      BadRequestFields(v1::AdminService::NewStub(server().Channel())
                           ->CreateToken(Deadline().get(), request, &response)),
      std::vector<std::string>{"scope"});

  request.set_role(static_cast<v1::Role>(99));  // no such role
  EXPECT_EQ(
      BadRequestFields(v1::AdminService::NewStub(server().Channel())
                           ->CreateToken(Deadline().get(), request, &response)),
      std::vector<std::string>{"role"});
}

TEST_F(ScopeTest, ListAndRevokeTokensNameEachBadField) {
  v1::ListTokensRequest list;
  list.set_page_size(-1);
  list.set_page_token("not-a-token");
  v1::ListTokensResponse tokens;
  grpc::Status status = v1::AdminService::NewStub(server().Channel())
                            ->ListTokens(Deadline().get(), list, &tokens);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestFields(status),
            (std::vector<std::string>{"page_size", "page_token"}));

  v1::RevokeTokenRequest revoke;
  revoke.set_token_id("Not A Token Id");
  v1::RevokeTokenResponse revoked;
  status = v1::AdminService::NewStub(server().Channel())
               ->RevokeToken(Deadline().get(), revoke, &revoked);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestFields(status), std::vector<std::string>{"token_id"});
}

}  // namespace
}  // namespace coopcraft::testing
