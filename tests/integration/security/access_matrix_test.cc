// The role x RPC matrix against the real coopcraftd: every RPC of every
// service, found from the published descriptors (so a new RPC cannot be
// forgotten), called with every role's token, with no token and with a bad
// one. The expected matrix is written out here from ARCHITECTURE.md §6,
// independently of the server's table.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "coopcraft/v1/admin_service.grpc.pb.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/cohort_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "coopcraft/v1/handoff_service.grpc.pb.h"
#include "coopcraft/v1/project_service.grpc.pb.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "coopcraft/v1/selection_service.grpc.pb.h"
#include "coopcraft/v1/server_info.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/security/security_fixture.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

using google::protobuf::ServiceDescriptor;

// Every service coopcraftd serves, from its generated descriptors.
std::vector<const ServiceDescriptor*> Services() {
  return {
      v1::CreateTokenRequest::descriptor()->file()->FindServiceByName(
          "AdminService"),
      v1::VerifyChainRequest::descriptor()->file()->FindServiceByName(
          "AuditService"),
      v1::RecordGroupMeetingRequest::descriptor()->file()->FindServiceByName(
          "CohortService"),
      v1::ReadAllRequest::descriptor()->file()->FindServiceByName(
          "EventStreamService"),
      v1::AcceptHandOffRequest::descriptor()->file()->FindServiceByName(
          "HandOffService"),
      v1::OpenProjectRequest::descriptor()->file()->FindServiceByName(
          "ProjectService"),
      v1::GetProjectRequest::descriptor()->file()->FindServiceByName(
          "QueryService"),
      v1::OpenCallRequest::descriptor()->file()->FindServiceByName(
          "SelectionService"),
      v1::GetServerInfoRequest::descriptor()->file()->FindServiceByName(
          "ServerInfoService")};
}

// "coopcraft.v1.QueryService/GetProject" for every RPC.
std::vector<std::string> AllMethods() {
  std::vector<std::string> methods;
  for (const ServiceDescriptor* service : Services()) {
    EXPECT_NE(service, nullptr);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back(
          absl::StrCat(service->full_name(), "/", service->method(i)->name()));
    }
  }
  return methods;
}

std::string M(const std::string& service, const std::string& rpc) {
  return absl::StrCat("coopcraft.v1.", service, "/", rpc);
}

// ARCHITECTURE.md §6, method by method, for every role but ADMIN (which
// may call everything).
std::map<v1::Role, std::set<std::string>> ExpectedMatrix(
    const std::vector<std::string>& all) {
  std::map<v1::Role, std::set<std::string>> allowed;
  const std::string info = M("ServerInfoService", "GetServerInfo");
  // COACH: all programme data and every programme command.
  for (const std::string& method : all) {
    for (const char* service :
         {"SelectionService", "ProjectService", "CohortService", "QueryService",
          "EventStreamService"}) {
      if (absl::StartsWith(method, absl::StrCat("coopcraft.v1.", service))) {
        allowed[v1::ROLE_COACH].insert(method);
      }
    }
  }
  allowed[v1::ROLE_COACH].insert({info, M("HandOffService", "ListHandOffs"),
                                  M("HandOffService", "GetHandOff")});
  allowed[v1::ROLE_CPAS] = {info,
                            M("SelectionService", "SubmitApplication"),
                            M("SelectionService", "RecordCpasOpinion"),
                            M("SelectionService", "WithdrawApplication"),
                            M("ProjectService", "RecordWorkedDays"),
                            M("QueryService", "GetProject"),
                            M("QueryService", "ListProjects"),
                            M("QueryService", "GetGantt")};
  allowed[v1::ROLE_MENTOR] = {info,
                              M("ProjectService", "ScheduleMentorMeeting"),
                              M("ProjectService", "RecordMentorMeeting"),
                              M("QueryService", "GetProject"),
                              M("QueryService", "ListProjects"),
                              M("QueryService", "GetGantt")};
  allowed[v1::ROLE_PARTNER] = {info, M("HandOffService", "AcceptHandOff"),
                               M("HandOffService", "DeclineHandOff"),
                               M("HandOffService", "ListHandOffs"),
                               M("HandOffService", "GetHandOff")};
  allowed[v1::ROLE_AUDITOR] = {info,
                               M("AuditService", "VerifyChain"),
                               M("AuditService", "ExportLog"),
                               M("AuditService", "ReplayProjection"),
                               M("AuditService", "ListAccessRecords"),
                               M("EventStreamService", "ReadStream"),
                               M("EventStreamService", "ReadAll"),
                               M("EventStreamService", "Subscribe"),
                               M("QueryService", "GetFunderReport")};
  allowed[v1::ROLE_DASHBOARD] = {info,
                                 M("EventStreamService", "ReadStream"),
                                 M("EventStreamService", "ReadAll"),
                                 M("EventStreamService", "Subscribe"),
                                 M("QueryService", "GetFundingTracker"),
                                 M("QueryService", "GetPartnerTracker"),
                                 M("QueryService", "GetCommunicationTracker"),
                                 M("QueryService", "GetCohort"),
                                 M("QueryService", "GetFunderReport")};
  allowed[v1::ROLE_ADMIN] = std::set<std::string>(all.begin(), all.end());
  return allowed;
}

class AccessMatrixTest : public SecurityFixture {};

TEST_F(AccessMatrixTest, EveryRpcAnswersEachRoleAsTheMatrixSays) {
  const std::vector<std::string> all = AllMethods();
  ASSERT_GE(all.size(), 56u);
  const auto expected = ExpectedMatrix(all);
  for (const auto& [role, allowed] : expected) {
    const std::string token = TokenFor(role);
    for (const std::string& method : all) {
      const grpc::Status status = CallWithEmptyRequest(token, method);
      if (allowed.contains(method)) {
        // Allowed: it may still fail validation, never the door.
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << v1::Role_Name(role) << " " << method;
        EXPECT_FALSE(absl::StrContains(status.error_message(), "may not call"))
            << v1::Role_Name(role) << " " << method << ": "
            << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << v1::Role_Name(role) << " " << method << ": "
            << status.error_message();
        EXPECT_TRUE(absl::StrContains(status.error_message(), "may not call"))
            << status.error_message();
        EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED")
            << v1::Role_Name(role) << " " << method;
      }
    }
  }
}

TEST_F(AccessMatrixTest, EveryRpcRefusesCallsWithoutAValidToken) {
  for (const std::string& method : AllMethods()) {
    EXPECT_EQ(CallWithEmptyRequest("", method).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
    EXPECT_EQ(CallWithEmptyRequest("cct_not-a-token", method).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << method;
  }
}

TEST_F(AccessMatrixTest, HealthCheckNeedsNoToken) {
  // Load balancers and `coopcraft status` probe it before they hold a token.
  const grpc::Status status =
      CallWithEmptyRequest("", "grpc.health.v1.Health/Check");
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace coopcraft::testing
