// Bad input to every command RPC, table-driven against one real coopcraftd:
// a bad field is INVALID_ARGUMENT naming the field in a google.rpc.BadRequest,
// an unknown call, application or project is NOT_FOUND, and the log head
// does not move.
#include <grpcpp/grpcpp.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/programme/broken_requests.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

using ::testing::Contains;

// Known to the server (seeded once) ...
constexpr char kCall[] = "call-seeded";
constexpr char kProject[] = "app-seeded";
// ... and never written: bad-input tables target these, so a request that
// slipped through validation could still not write anything.
constexpr char kUnknownCall[] = "no-such-call";
constexpr char kUnknownApplication[] = "no-such-application";
constexpr char kUnknownProject[] = "no-such-project";

// A bad request and the field its BadRequest must name.
struct BadInput {
  Command command;
  std::string field;
};

std::vector<Command> UnknownTargets() {
  return EveryCommand(kUnknownCall, kUnknownApplication, kUnknownProject);
}

// The valid request of `rpc` on unknown targets.
Command Valid(const std::string& rpc) {
  for (Command& command : UnknownTargets()) {
    if (command.rpc == rpc) return command;
  }
  ADD_FAILURE() << "no command " << rpc;
  return Command{};
}

BadInput Bad(const std::string& rpc, const std::string& path,
             const Breakage& breakage) {
  return {Broken(Valid(rpc), path, breakage), path};
}

std::vector<BadInput> MissingIds() {
  std::vector<BadInput> cases;
  for (const Command& command : UnknownTargets()) {
    for (const std::string& field :
         IdFields(*command.request->GetDescriptor())) {
      if (command.rpc == "OpenProject" && field == "coach_id") continue;
      cases.push_back({Broken(command, field, Cleared()), field});
    }
  }
  for (const char* path : {"partner_cpas_ids[0]", "rubric[0].criterion_id"}) {
    cases.push_back(Bad("OpenCall", path, Cleared()));
  }
  cases.push_back(
      Bad("ReviewApplication", "scores[0].criterion_id", Cleared()));
  cases.push_back(
      Bad("RecordGroupMeeting", "present_project_ids[0]", Cleared()));
  return cases;
}

std::vector<BadInput> UnknownEnumValues() {
  const Breakage unknown = UnknownEnumValue();
  return {
      Bad("SubmitApplication", "gender_category", unknown),
      Bad("SubmitApplication", "education_level", unknown),
      Bad("SubmitApplication", "project_kind", unknown),
      Bad("ReviewApplication", "recommendation", unknown),
      Bad("RecordCpasOpinion", "opinion", unknown),
      Bad("RejectCandidate", "reason", unknown),
      Bad("WithdrawApplication", "reason", unknown),
      Bad("DraftDeliverable", "kind", unknown),
      Bad("SubmitDeliverable", "kind", unknown),
      Bad("RequestDeliverableChanges", "kind", unknown),
      Bad("ValidateDeliverable", "kind", unknown),
      Bad("RecordInterview", "deliverables_discussed[0]", unknown),
      Bad("LogAction", "line", unknown),
      Bad("RequestResource", "kind", unknown),
      Bad("DecideResourceRequest", "decision", unknown),
      Bad("RecordFundingDecision", "outcome", unknown),
      Bad("PublishCommunication", "channel", unknown),
      Bad("RecordEvaluation", "autonomy_level", unknown),
      Bad("RecordEvaluation", "assessments[0].situation", unknown),
      Bad("ProposeHandOff", "dossier.maturity", unknown),
      Bad("ProposeHandOff", "dossier.intellectual_property.status", unknown),
      Bad("EndContract", "exit_outcome", unknown),
      Bad("RecordGroupMeeting", "agenda_items[0].kind", unknown),
      // Zero is UNSPECIFIED: as good as missing.
      Bad("LogAction", "line", Cleared()),
      Bad("RecordFundingDecision", "outcome", Cleared()),
  };
}

std::vector<BadInput> EmptyOrOversizeTexts() {
  const Breakage empty = Text("");
  const Breakage blank = Text(" \n\t ");
  const Breakage control = Text("tab\tis fine, bell\a is not");
  const Breakage short_overflow = Text(std::string(201, 'x'));
  const Breakage long_overflow = Text(std::string(10001, 'x'));
  const Breakage reference_overflow = Text(std::string(2049, 'x'));
  return {
      Bad("OpenCall", "title", empty),
      Bad("OpenCall", "title", short_overflow),
      Bad("OpenCall", "description", long_overflow),
      Bad("OpenCall", "rubric[0].title", blank),
      Bad("SubmitApplication", "applicant.given_name", empty),
      Bad("SubmitApplication", "applicant.career_path", control),
      Bad("SubmitApplication", "applicant.project_pitch", long_overflow),
      Bad("ReviewApplication", "comment", long_overflow),
      Bad("RecordCpasOpinion", "comment", empty),
      Bad("RejectCandidate", "explanation", long_overflow),
      Bad("WithdrawApplication", "note", long_overflow),
      Bad("OpenProject", "title", short_overflow),
      Bad("DraftDeliverable", "document_reference", empty),
      Bad("SubmitDeliverable", "document_reference", reference_overflow),
      Bad("RequestDeliverableChanges", "requested_changes", blank),
      Bad("AssignMentor", "sector", empty),
      Bad("RecordMentorMeeting", "feedback.summary", empty),
      Bad("RecordInterview", "notes.summary", long_overflow),
      Bad("LogAction", "title", empty),
      Bad("LogAction", "title", short_overflow),
      Bad("LogAction", "description", long_overflow),
      Bad("PlanMilestone", "title", blank),
      Bad("MoveMilestone", "reason", empty),
      Bad("RequestResource", "description", empty),
      Bad("DecideResourceRequest", "comment", empty),
      Bad("SubmitFundingApplication", "funder", empty),
      Bad("SubmitFundingApplication", "call_name", short_overflow),
      Bad("RecordFundingDecision", "reason", long_overflow),
      Bad("ContactPartner", "organisation_name", control),
      Bad("AgreePartnership", "terms", empty),
      Bad("PublishCommunication", "title", empty),
      Bad("PublishCommunication", "link", Text("example.org/news")),
      Bad("RecordEvaluation", "narrative.perspectives", empty),
      Bad("ProposeHandOff", "dossier.business_model_summary", empty),
      Bad("ProposeHandOff", "dossier.consent.reference", empty),
      Bad("EndContract", "notes.comment", long_overflow),
      Bad("AcceptHandOff", "comment", long_overflow),
      Bad("DeclineHandOff", "reason", empty),
      Bad("RecordGroupMeeting", "agenda_items[0].topic", short_overflow),
  };
}

std::vector<BadInput> InvalidDates() {
  const Breakage february_30 = DateOf(2026, 2, 30);
  const Breakage month_13 = DateOf(2026, 13, 1);
  const Breakage year_zero = DateOf(0, 1, 1);
  return {
      Bad("OpenCall", "opens_on", february_30),
      Bad("OpenCall", "closes_on", month_13),
      Bad("CloseCall", "closed_on", year_zero),
      Bad("SubmitApplication", "received_on", february_30),
      Bad("SubmitApplication", "applicant.birth_date", Cleared()),
      Bad("ReviewApplication", "reviewed_on", month_13),
      Bad("RecordCpasOpinion", "given_on", Cleared()),
      Bad("SelectCandidate", "decided_on", february_30),
      Bad("WaitlistCandidate", "decided_on", month_13),
      Bad("RejectCandidate", "decided_on", Cleared()),
      Bad("WithdrawApplication", "withdrawn_on", february_30),
      Bad("OpenProject", "contract_start_date", february_30),
      Bad("RecordWorkedDays", "period_start", month_13),
      Bad("RecordWorkedDays", "period_end", Cleared()),
      Bad("AssignMentor", "assigned_on", month_13),
      Bad("ScheduleMentorMeeting", "scheduled_for", february_30),
      Bad("RecordMentorMeeting", "held_on", year_zero),
      Bad("RecordInterview", "held_on", february_30),
      Bad("LogAction", "occurred_on", february_30),
      Bad("LogAction", "occurred_on", Cleared()),
      Bad("PlanMilestone", "start_date", month_13),
      Bad("PlanMilestone", "end_date", february_30),
      Bad("MoveMilestone", "start_date", Cleared()),
      Bad("MoveMilestone", "end_date", month_13),
      Bad("CompleteMilestone", "completed_on", february_30),
      Bad("RequestResource", "needed_from", Cleared()),
      Bad("RequestResource", "needed_until", february_30),
      Bad("SubmitFundingApplication", "deadline", month_13),
      Bad("SubmitFundingApplication", "submitted_on", february_30),
      Bad("RecordFundingDecision", "decided_on", year_zero),
      Bad("ContactPartner", "contacted_on", february_30),
      Bad("AgreePartnership", "agreed_on", month_13),
      Bad("PublishCommunication", "published_on", february_30),
      Bad("RecordEvaluation", "evaluated_on", Cleared()),
      Bad("ProposeHandOff", "dossier.consent.given_on", february_30),
      Bad("EndContract", "ended_on", month_13),
      Bad("RecordGroupMeeting", "held_on", february_30),
  };
}

// An expected_revision that is present but expects nothing, on every
// command.
std::vector<BadInput> VagueExpectedRevisions() {
  std::vector<BadInput> cases;
  for (const Command& command : UnknownTargets()) {
    cases.push_back({Broken(command, "expected_revision", EmptyMessage()),
                     "expected_revision"});
    for (const char* flag :
         {"expected_revision.no_stream", "expected_revision.stream_exists"}) {
      cases.push_back({Broken(command, flag, Flag(false)), flag});
    }
  }
  return cases;
}

// The RPCs a table holds a case for.
std::set<std::string> RpcsOf(const std::vector<BadInput>& cases) {
  std::set<std::string> rpcs;
  for (const BadInput& c : cases) rpcs.insert(c.command.rpc);
  return rpcs;
}

// One server for every table: started and seeded with a call and an open
// project once per test binary process.
class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = ProgrammeServer::Start().release();
    if (server_ == nullptr) return;
    const ProgrammeClient& client = server_->client();
    if (!client.Call(OpenCall(kCall)).ok() ||
        !OpenProjectThroughSelection(client, kCall, kProject).ok()) {
      ADD_FAILURE() << "could not seed the server";
    }
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(server_, nullptr); }

  // Sends every case; each must be INVALID_ARGUMENT naming its field, with
  // the head unmoved.
  static void ExpectInvalidArgument(const std::vector<BadInput>& cases) {
    const uint64_t head = server_->Head();
    ASSERT_GT(head, 0u);
    for (const BadInput& bad : cases) {
      SCOPED_TRACE(bad.command.rpc + " " + bad.field);
      grpc::Status status = bad.command.Send(server_->client());
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << status.error_message();
      EXPECT_THAT(BadRequestFields(status), Contains(bad.field));
      EXPECT_EQ(server_->Head(), head);
    }
  }

  static ProgrammeServer* server_;
};

ProgrammeServer* BadInputTest::server_ = nullptr;

TEST_F(BadInputTest, TablesCoverEveryCommandRpcOfTheFourServices) {
  std::set<std::string> rpcs;
  for (const auto* service : {v1::SelectionService::service_full_name(),
                              v1::ProjectService::service_full_name(),
                              v1::HandOffService::service_full_name(),
                              v1::CohortService::service_full_name()}) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      // Commands carry a request_id; HandOffService's queries do not.
      const auto* method = descriptor->method(i);
      if (method->input_type()->FindFieldByName("request_id") != nullptr) {
        rpcs.insert(method->name());
      }
    }
  }
  EXPECT_EQ(rpcs.size(), 37u);
  EXPECT_EQ(RpcsOf(MissingIds()), rpcs);
}

TEST_F(BadInputTest, EveryRpcWithEnumsOrDatesHasCasesForThem) {
  std::set<std::string> with_enums, with_dates;
  for (const Command& command : UnknownTargets()) {
    const auto& descriptor = *command.request->GetDescriptor();
    if (HasEnumField(descriptor)) with_enums.insert(command.rpc);
    if (HasDateField(descriptor)) with_dates.insert(command.rpc);
  }
  EXPECT_EQ(RpcsOf(UnknownEnumValues()), with_enums);
  EXPECT_EQ(RpcsOf(InvalidDates()), with_dates);
}

TEST_F(BadInputTest, MissingIdsAreInvalidArgumentNamingTheField) {
  ExpectInvalidArgument(MissingIds());
}

TEST_F(BadInputTest, UnknownEnumValuesAreInvalidArgumentNamingTheField) {
  ExpectInvalidArgument(UnknownEnumValues());
}

TEST_F(BadInputTest, EmptyOrOversizeTextIsInvalidArgumentNamingTheField) {
  ExpectInvalidArgument(EmptyOrOversizeTexts());
}

TEST_F(BadInputTest, InvalidDatesAreInvalidArgumentNamingTheField) {
  ExpectInvalidArgument(InvalidDates());
}

TEST_F(BadInputTest, AnExpectedRevisionExpectingNothingIsInvalidArgument) {
  EXPECT_EQ(RpcsOf(VagueExpectedRevisions()), RpcsOf(MissingIds()));
  ExpectInvalidArgument(VagueExpectedRevisions());
}

TEST_F(BadInputTest, UnknownCallApplicationOrProjectIsNotFound) {
  const uint64_t head = server_->Head();
  for (const Command& command : UnknownTargets()) {
    if (command.rpc == "OpenCall") continue;  // creates its call
    SCOPED_TRACE(command.rpc);
    grpc::Status status = command.Send(server_->client());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
        << status.error_message();
    EXPECT_TRUE(absl::EndsWith(ErrorReason(status), "_NOT_FOUND"))
        << ErrorReason(status);
    EXPECT_EQ(server_->Head(), head);
  }
}

}  // namespace
}  // namespace coopcraft::testing
