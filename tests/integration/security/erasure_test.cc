// Personal data at rest and its erasure, against the real coopcraftd and
// CLI: fields are stored encrypted with the person's key; ErasePerson
// destroys the key, after which no RPC, subscription or export shows them,
// others' data reads back unchanged, and the hash chain still verifies.
#include <grpcpp/grpcpp.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "coopcraft/v1/admin_service.grpc.pb.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "gtest/gtest.h"
#include "services/api/erasure_records.h"
#include "services/privacy/person_key_store.h"
#include "tests/integration/security/security_fixture.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-erasure";
constexpr char kErased[] = "app-erased";  // person "person-app-erased"
constexpr char kKept[] = "app-kept";      // person "person-app-kept"

std::string FileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class ErasureTest : public SecurityFixture {
 protected:
  void SetUp() override {
    SecurityFixture::SetUp();
    if (HasFatalFailure()) return;
    ProgrammeClient staff(server().Channel());
    ASSERT_TRUE(staff.Call(OpenCall(kCall)).ok());
    ASSERT_TRUE(staff.Call(SubmitApplication(kErased, kCall)).ok());
    v1::SubmitApplicationRequest kept = SubmitApplication(kKept, kCall);
    kept.mutable_applicant()->set_given_name("Bertrand");
    kept.mutable_applicant()->set_email("bertrand@example.org");
    ASSERT_TRUE(staff.Call(kept).ok());
    auto reviewed = staff.Call(ReviewApplication(kErased, "reviewer-1"));
    ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  }

  // Every ApplicationSubmitted as `role` reads it, by application id.
  std::map<std::string, v1::RecordedEvent> Submissions(v1::Role role) {
    v1::ReadAllRequest request;
    request.set_from_position(1);
    request.set_page_size(1000);
    request.mutable_filter()->add_event_types(
        v1::ApplicationSubmitted::descriptor()->full_name());
    v1::ReadAllResponse response;
    const grpc::Status status =
        v1::EventStreamService::NewStub(
            server().ChannelWithToken(TokenFor(role)))
            ->ReadAll(Deadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, v1::RecordedEvent> by_application;
    for (const v1::RecordedEvent& event : response.events()) {
      v1::ApplicationSubmitted submitted;
      EXPECT_TRUE(event.payload().UnpackTo(&submitted));
      by_application[submitted.application_id()] = event;
    }
    return by_application;
  }

  static v1::ErasePersonRequest ErasureRequest(
      const std::string& request_id, const std::string& application = kErased) {
    v1::ErasePersonRequest request;
    request.set_request_id(request_id);
    request.set_person_id(absl::StrCat("person-", application));
    request.set_ground(v1::ERASURE_GROUND_REQUESTED_BY_PERSON);
    return request;
  }

  grpc::Status Erase(const std::string& request_id,
                     v1::ErasePersonResponse* response,
                     const std::string& application = kErased) {
    return v1::AdminService::NewStub(server().Channel())
        ->ErasePerson(Deadline().get(), ErasureRequest(request_id, application),
                      response);
  }

  // How many PersonErased events the log holds.
  int ErasureEvents() {
    v1::ReadAllRequest request;
    request.set_from_position(1);
    request.set_page_size(1000);
    request.mutable_filter()->add_event_types(
        v1::PersonErased::descriptor()->full_name());
    v1::ReadAllResponse response;
    const grpc::Status status =
        v1::EventStreamService::NewStub(server().Channel())
            ->ReadAll(Deadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.events_size();
  }

  static std::string GivenName(const v1::RecordedEvent& event) {
    v1::ApplicationSubmitted submitted;
    EXPECT_TRUE(event.payload().UnpackTo(&submitted));
    return submitted.applicant().given_name();
  }
};

TEST_F(ErasureTest, StaffReadPersonalDataThatIsStoredOnlyEncrypted) {
  auto submissions = Submissions(v1::ROLE_COACH);
  ASSERT_EQ(submissions.size(), 2u);
  EXPECT_EQ(GivenName(submissions[kErased]), "Amina");
  EXPECT_EQ(submissions[kErased].personal_data(),
            v1::PERSONAL_DATA_STATE_CLEAR);
  EXPECT_EQ(GivenName(submissions[kKept]), "Bertrand");

  auto withheld = Submissions(v1::ROLE_DASHBOARD);
  EXPECT_EQ(GivenName(withheld[kErased]), "");
  EXPECT_EQ(withheld[kErased].personal_data(),
            v1::PERSONAL_DATA_STATE_WITHHELD);

  // On disk: no plaintext in any file of the data dir.
  server().Stop(SIGTERM);
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = FileBytes(entry.path());
    for (const char* plaintext :
         {"Amina", "amina@example.org", "Bertrand", "bertrand@example.org"}) {
      EXPECT_FALSE(absl::StrContains(bytes, plaintext))
          << plaintext << " in " << entry.path();
    }
  }
}

TEST_F(ErasureTest, AfterErasureNoReadShowsThePersonAndOthersAreIntact) {
  v1::ErasePersonResponse erased;
  const std::string request_id = NewRequestId();
  ASSERT_TRUE(Erase(request_id, &erased).ok());
  EXPECT_EQ(erased.result().stream(), "erasures");
  // A retry is answered with the first result.
  v1::ErasePersonResponse retried;
  ASSERT_TRUE(Erase(request_id, &retried).ok());
  EXPECT_EQ(retried.result().position(), erased.result().position());

  auto submissions = Submissions(v1::ROLE_COACH);
  EXPECT_EQ(GivenName(submissions[kErased]), "");
  EXPECT_EQ(submissions[kErased].personal_data(),
            v1::PERSONAL_DATA_STATE_ERASED);
  EXPECT_EQ(GivenName(submissions[kKept]), "Bertrand");
  EXPECT_EQ(submissions[kKept].personal_data(), v1::PERSONAL_DATA_STATE_CLEAR);

  // A subscription from the start, as staff, up to the erasure event.
  v1::SubscribeRequest subscribe;
  subscribe.set_from_start(true);
  auto context = Deadline();
  auto reader = v1::EventStreamService::NewStub(server().Channel())
                    ->Subscribe(context.get(), subscribe);
  std::string payloads;
  uint64_t last = 0;
  v1::SubscribeResponse message;
  while (last < erased.result().position() && reader->Read(&message)) {
    for (const auto& event : message.events().events()) {
      payloads += event.payload().value();
      last = event.position();
    }
  }
  context->TryCancel();
  EXPECT_EQ(last, erased.result().position());
  EXPECT_FALSE(absl::StrContains(payloads, "Amina"));
  EXPECT_FALSE(absl::StrContains(payloads, "amina@example.org"));
  EXPECT_TRUE(absl::StrContains(payloads, "Bertrand"));

  // The log was not rewritten: the chain verifies, and an export verifies
  // offline and holds no plaintext of anyone.
  v1::VerifyChainResponse verified;
  ASSERT_TRUE(v1::AuditService::NewStub(server().Channel())
                  ->VerifyChain(Deadline().get(), {}, &verified)
                  .ok());
  EXPECT_TRUE(verified.ok()) << verified.problem();
  const std::string file = data_dir() + ".export";
  ExitInfo exported =
      RunProgram(COOPCRAFT_CLI_PATH,
                 {absl::StrCat("--server=", server().address()),
                  absl::StrCat("--token_file=", server().AdminTokenFile()),
                  "audit", "export", absl::StrCat("--out=", file)},
                 absl::Seconds(60));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const std::string export_bytes = FileBytes(file);
  EXPECT_FALSE(absl::StrContains(export_bytes, "Amina"));
  EXPECT_FALSE(absl::StrContains(export_bytes, "Bertrand"));
  EXPECT_TRUE(absl::StrContains(export_bytes, "PersonErased"));
  ExitInfo verified_offline = RunProgram(
      COOPCRAFT_CLI_PATH, {"audit", "verify", file}, absl::Seconds(60));
  EXPECT_EQ(verified_offline.exit_code, 0) << verified_offline.output;

  // Nor anywhere in the data dir, the key store's compacted files included.
  server().Stop(SIGTERM);
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    EXPECT_FALSE(absl::StrContains(FileBytes(entry.path()), "Amina"))
        << entry.path();
  }
}

TEST_F(ErasureTest, EveryReadInClearIsInTheAccessTrail) {
  auto list = [&](const std::string& person) {
    v1::ListAccessRecordsRequest request;
    request.set_person_id(person);
    v1::ListAccessRecordsResponse response;
    const grpc::Status status =
        v1::AuditService::NewStub(
            server().ChannelWithToken(TokenFor(v1::ROLE_AUDITOR)))
            ->ListAccessRecords(Deadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return std::vector<v1::AccessRecord>(response.records().begin(),
                                         response.records().end());
  };
  const std::string person = absl::StrCat("person-", kErased);
  ASSERT_TRUE(list(person).empty());
  // Withheld data is not an access.
  Submissions(v1::ROLE_DASHBOARD);
  EXPECT_TRUE(list("").empty());

  Submissions(v1::ROLE_COACH);
  const std::vector<v1::AccessRecord> records = list(person);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].principal(), "test-ROLE_COACH");
  EXPECT_EQ(records[0].role(), "COACH");
  EXPECT_EQ(records[0].method(), "coopcraft.v1.EventStreamService/ReadAll");
  EXPECT_EQ(records[0].event_count(), 1u);
  EXPECT_GT(records[0].first_position(), 0u);
  // The other applicant's read is recorded under their own id.
  ASSERT_EQ(list(absl::StrCat("person-", kKept)).size(), 1u);
  EXPECT_EQ(list("").size(), 2u);
}

TEST_F(ErasureTest, AuditorsSeeTheTrailWithPseudonyms) {
  Submissions(v1::ROLE_COACH);
  auto list_as = [&](v1::Role role) {
    v1::ListAccessRecordsResponse response;
    EXPECT_TRUE(
        v1::AuditService::NewStub(server().ChannelWithToken(TokenFor(role)))
            ->ListAccessRecords(Deadline().get(), {}, &response)
            .ok());
    return response;
  };
  const v1::ListAccessRecordsResponse for_admin = list_as(v1::ROLE_ADMIN);
  const v1::ListAccessRecordsResponse for_auditor = list_as(v1::ROLE_AUDITOR);
  ASSERT_EQ(for_admin.records_size(), 2);
  ASSERT_EQ(for_auditor.records_size(), 2);
  EXPECT_TRUE(absl::StartsWith(for_admin.records(0).person_id(), "person-"));
  EXPECT_TRUE(absl::StartsWith(for_auditor.records(0).person_id(), "anon-"));
  EXPECT_NE(for_auditor.records(0).person_id(),
            for_auditor.records(1).person_id());
}

TEST_F(ErasureTest, NothingIsWrittenForAnErasedPersonAgain) {
  v1::ErasePersonResponse erased;
  ASSERT_TRUE(Erase(NewRequestId(), &erased).ok());
  ProgrammeClient staff(server().Channel());
  // Same person, new application.
  v1::SubmitApplicationRequest again = SubmitApplication("app-again", kCall);
  again.set_person_id(absl::StrCat("person-", kErased));
  const auto refused = staff.Call(again);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "PERSON_ERASED"))
      << refused.status();
}

// The programme still closes an erased person's file: a decision that
// carries no personal data is recorded, one with a free-text explanation is
// refused without writing anything.
TEST_F(ErasureTest, DecisionsWithoutPersonalDataAreRecordedAfterErasure) {
  v1::ErasePersonResponse erased;
  ASSERT_TRUE(Erase(NewRequestId(), &erased).ok());
  ProgrammeClient staff(server().Channel());
  v1::RejectCandidateRequest explained = RejectCandidate(kErased);
  ASSERT_FALSE(explained.explanation().empty());
  const auto refused = staff.Call(explained);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "PERSON_ERASED"))
      << refused.status();

  v1::RejectCandidateRequest unexplained = RejectCandidate(kErased);
  unexplained.clear_explanation();
  const auto rejected = staff.Call(unexplained);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->position(), erased.result().position() + 1);
}

TEST_F(ErasureTest, ARequestIdSpentElsewhereErasesNobody) {
  ProgrammeClient staff(server().Channel());
  const std::string erasure_id = NewRequestId();
  v1::ErasePersonResponse erased;
  ASSERT_TRUE(Erase(erasure_id, &erased).ok());
  v1::ReviewApplicationRequest review = ReviewApplication(kKept, "reviewer-2");
  const std::string command_id = NewRequestId();
  review.set_request_id(command_id);
  ASSERT_TRUE(staff.Call(review).ok());
  auto head = staff.HeadPosition();
  ASSERT_TRUE(head.ok()) << head.status();

  // Each id, reused to erase the other applicant, is refused; that person
  // still reads in clear and nothing was written.
  for (const std::string& spent : {erasure_id, command_id}) {
    v1::ErasePersonResponse response;
    const grpc::Status status = Erase(spent, &response, kKept);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS)
        << spent << ": " << status.error_message();
  }
  EXPECT_EQ(GivenName(Submissions(v1::ROLE_COACH)[kKept]), "Bertrand");
  EXPECT_EQ(staff.HeadPosition().value_or(0), *head);
  // The erasure's own retry still answers with its first result.
  v1::ErasePersonResponse retried;
  ASSERT_TRUE(Erase(erasure_id, &retried).ok());
  EXPECT_EQ(retried.result().position(), erased.result().position());
}

// ErasePerson destroys the key before it appends PersonErased. A marker
// without a pending record (a key store erased by other means, or before
// markers kept one) leaves the start nothing to record: the retry the
// client makes must then record the event once and answer as for any
// retry, not stop at "already erased" and leave the erasure unrecorded.
TEST_F(ErasureTest, ARetryAfterACrashBetweenKeyAndEventRecordsTheErasure) {
  const std::string person = absl::StrCat("person-", kErased);
  Restart(SIGKILL, [&] {
    auto keys = privacy::PersonKeyStore::Open(data_dir() + "/keys");
    ASSERT_TRUE(keys.ok()) << keys.status();
    ASSERT_TRUE((*keys)->Erase(person).ok());
  });
  if (HasFatalFailure()) return;
  EXPECT_EQ(Submissions(v1::ROLE_COACH)[kErased].personal_data(),
            v1::PERSONAL_DATA_STATE_ERASED);
  EXPECT_EQ(ErasureEvents(), 0);

  const std::string request_id = NewRequestId();
  v1::ErasePersonResponse erased;
  const grpc::Status status = Erase(request_id, &erased);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(erased.result().stream(), "erasures");
  EXPECT_EQ(ErasureEvents(), 1);

  v1::ErasePersonResponse retried;
  ASSERT_TRUE(Erase(request_id, &retried).ok());
  EXPECT_EQ(retried.result().position(), erased.result().position());
  EXPECT_EQ(ErasureEvents(), 1);
  EXPECT_EQ(GivenName(Submissions(v1::ROLE_COACH)[kKept]), "Bertrand");
}

// A crash (or a failed append) after the key is destroyed and before
// PersonErased is in the log leaves the event pending in the erasure
// marker. The next start records it, so the erasure is in the log even if
// the client never retries; a retry is then answered from that event.
TEST_F(ErasureTest, AnErasureACrashKeptOutOfTheLogIsRecordedAtTheNextStart) {
  const v1::ErasePersonRequest request = ErasureRequest(NewRequestId());
  Restart(SIGKILL, [&] {
    auto keys = privacy::PersonKeyStore::Open(data_dir() + "/keys");
    ASSERT_TRUE(keys.ok()) << keys.status();
    // What ErasePerson's first step writes, and all a crash leaves of it.
    ASSERT_TRUE((*keys)
                    ->Erase(request.person_id(),
                            api::EncodePendingErasure(
                                api::ErasureEvent(request, "admin")))
                    .ok());
  });
  if (HasFatalFailure()) return;
  EXPECT_EQ(Submissions(v1::ROLE_COACH)[kErased].personal_data(),
            v1::PERSONAL_DATA_STATE_ERASED);
  EXPECT_EQ(ErasureEvents(), 1);

  v1::ErasePersonResponse retried;
  const grpc::Status status = Erase(request.request_id(), &retried);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retried.result().stream(), "erasures");
  EXPECT_EQ(ErasureEvents(), 1);

  // The start cleared the record: another start records nothing more.
  Restart(SIGTERM, [] {});
  EXPECT_EQ(ErasureEvents(), 1);
  EXPECT_EQ(GivenName(Submissions(v1::ROLE_COACH)[kKept]), "Bertrand");
}

// Once PersonErased is in the log, its pending record is gone: a start
// has nothing left to do for it.
TEST_F(ErasureTest, ARecordedErasureLeavesNothingPending) {
  v1::ErasePersonResponse erased;
  const grpc::Status status = Erase(NewRequestId(), &erased);
  ASSERT_TRUE(status.ok()) << status.error_message();
  Restart(SIGTERM, [&] {
    auto keys = privacy::PersonKeyStore::Open(data_dir() + "/keys");
    ASSERT_TRUE(keys.ok()) << keys.status();
    EXPECT_TRUE((*keys)->IsErased(absl::StrCat("person-", kErased)));
    auto pending = (*keys)->PendingRecords();
    ASSERT_TRUE(pending.ok()) << pending.status();
    EXPECT_TRUE(pending->empty());
  });
}

TEST_F(ErasureTest, ErasePersonNamesEachBadField) {
  v1::ErasePersonRequest request;
  request.set_person_id("Not An Id");
  v1::ErasePersonResponse response;
  const grpc::Status status =
      v1::AdminService::NewStub(server().Channel())
          ->ErasePerson(Deadline().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestFields(status),
            (std::vector<std::string>{"request_id", "person_id", "ground"}));
}

TEST_F(ErasureTest, ListAccessRecordsNamesEachBadField) {
  v1::ListAccessRecordsRequest request;
  request.set_person_id("Not An Id");
  request.set_page_size(-1);
  request.set_page_token("not-a-token");
  v1::ListAccessRecordsResponse response;
  grpc::Status status =
      v1::AuditService::NewStub(
          server().ChannelWithToken(TokenFor(v1::ROLE_AUDITOR)))
          ->ListAccessRecords(Deadline().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadRequestFields(status),
            (std::vector<std::string>{"person_id", "page_size", "page_token"}));
}

}  // namespace
}  // namespace coopcraft::testing
