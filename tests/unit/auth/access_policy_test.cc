// The access policy's table against the published services.
#include "services/auth/access_policy.h"

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/admin_service.pb.h"
#include "coopcraft/v1/audit_service.pb.h"
#include "coopcraft/v1/cohort_service.pb.h"
#include "coopcraft/v1/event_stream_service.pb.h"
#include "coopcraft/v1/handoff_service.pb.h"
#include "coopcraft/v1/project_service.pb.h"
#include "coopcraft/v1/query_service.pb.h"
#include "coopcraft/v1/selection_service.pb.h"
#include "coopcraft/v1/server_info.pb.h"
#include "gtest/gtest.h"

namespace coopcraft::auth {
namespace {

namespace v1 = ::coopcraft::v1;

std::vector<std::string> AllMethods() {
  std::vector<const google::protobuf::FileDescriptor*> files = {
      v1::CreateTokenRequest::descriptor()->file(),
      v1::VerifyChainRequest::descriptor()->file(),
      v1::RecordGroupMeetingRequest::descriptor()->file(),
      v1::ReadAllRequest::descriptor()->file(),
      v1::AcceptHandOffRequest::descriptor()->file(),
      v1::OpenProjectRequest::descriptor()->file(),
      v1::GetProjectRequest::descriptor()->file(),
      v1::OpenCallRequest::descriptor()->file(),
      v1::GetServerInfoRequest::descriptor()->file()};
  std::vector<std::string> methods;
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(absl::StrCat(service->full_name(), "/",
                                       service->method(m)->name()));
      }
    }
  }
  return methods;
}

Principal As(v1::Role role) { return Principal{.id = "p", .role = role}; }

TEST(AccessPolicyTest, EveryRpcHasARule) {
  const std::vector<std::string> methods = AllMethods();
  EXPECT_GE(methods.size(), 56u);
  for (const std::string& method : methods) {
    EXPECT_TRUE(HasRule(method)) << method;
  }
}

TEST(AccessPolicyTest, AdminMayCallEverything) {
  for (const std::string& method : AllMethods()) {
    EXPECT_TRUE(Authorize(As(v1::ROLE_ADMIN), method).ok()) << method;
  }
}

TEST(AccessPolicyTest, AMethodWithoutARuleIsDeniedToEveryone) {
  const absl::Status denied =
      Authorize(As(v1::ROLE_ADMIN), "coopcraft.v1.QueryService/DropTables");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(HasRule("coopcraft.v1.QueryService/DropTables"));
}

TEST(AccessPolicyTest, UnspecifiedOrUnknownRolesMayCallNothing) {
  for (const std::string& method : AllMethods()) {
    EXPECT_FALSE(Authorize(As(v1::ROLE_UNSPECIFIED), method).ok()) << method;
    EXPECT_FALSE(Authorize(As(static_cast<v1::Role>(42)), method).ok())
        << method;
  }
}

TEST(AccessPolicyTest, DenialNamesRoleAndMethod) {
  const absl::Status denied = Authorize(
      As(v1::ROLE_DASHBOARD), "coopcraft.v1.ProjectService/LogAction");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "ROLE_NOT_ALLOWED: role DASHBOARD may not call "
            "coopcraft.v1.ProjectService/LogAction");
}

TEST(AccessPolicyTest, OnlyThePartnerAddressedAnswersHandOffs) {
  EXPECT_EQ(AllowedRoles("coopcraft.v1.HandOffService/AcceptHandOff"),
            (std::vector<v1::Role>{v1::ROLE_ADMIN, v1::ROLE_PARTNER}));
}

TEST(AccessPolicyTest, PersonalDataRolesExcludeAuditorsAndDashboards) {
  EXPECT_TRUE(MaySeePersonalData(v1::ROLE_COACH));
  EXPECT_TRUE(MaySeePersonalData(v1::ROLE_CPAS));
  EXPECT_FALSE(MaySeePersonalData(v1::ROLE_AUDITOR));
  EXPECT_FALSE(MaySeePersonalData(v1::ROLE_DASHBOARD));
  EXPECT_FALSE(MaySeePersonalData(v1::ROLE_PARTNER));
}

}  // namespace
}  // namespace coopcraft::auth
