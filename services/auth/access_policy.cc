// The matrix of ../shared/ARCHITECTURE.md §6, one row per RPC.
#include "services/auth/access_policy.h"

#include <cstdint>
#include <initializer_list>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace coopcraft::auth {
namespace {

using coopcraft::v1::Role;
using RoleSet = uint32_t;

constexpr RoleSet Bit(Role role) { return RoleSet{1} << role; }

constexpr RoleSet Of(std::initializer_list<Role> roles) {
  RoleSet set = 0;
  for (Role role : roles) set |= Bit(role);
  return set;
}

constexpr Role kAdmin = coopcraft::v1::ROLE_ADMIN;
constexpr Role kCoach = coopcraft::v1::ROLE_COACH;
constexpr Role kCpas = coopcraft::v1::ROLE_CPAS;
constexpr Role kMentor = coopcraft::v1::ROLE_MENTOR;
constexpr Role kPartner = coopcraft::v1::ROLE_PARTNER;
constexpr Role kAuditor = coopcraft::v1::ROLE_AUDITOR;
constexpr Role kDashboard = coopcraft::v1::ROLE_DASHBOARD;

// ADMIN may call everything; it is added to every row below.
// Programme staff run the programme.
constexpr RoleSet kStaff = Of({kCoach});
// A CPAS worker files and follows up its own beneficiaries' applications.
constexpr RoleSet kStaffAndCpas = Of({kCoach, kCpas});
// Who may read one project's state: staff, its CPAS, its mentor.
constexpr RoleSet kProjectReaders = Of({kCoach, kCpas, kMentor});
// Aggregates without personal data.
constexpr RoleSet kAggregateReaders = Of({kCoach, kDashboard});
// The raw log, served pseudonymised to auditors and dashboards.
constexpr RoleSet kLogReaders = Of({kCoach, kAuditor, kDashboard});

const absl::flat_hash_map<std::string, RoleSet>& Rules() {
  static const auto* rules = new absl::flat_hash_map<std::string, RoleSet>{
      {"coopcraft.v1.ServerInfoService/GetServerInfo",
       Of({kCoach, kCpas, kMentor, kPartner, kAuditor, kDashboard})},

      {"coopcraft.v1.AdminService/CreateToken", 0},
      {"coopcraft.v1.AdminService/ListTokens", 0},
      {"coopcraft.v1.AdminService/RevokeToken", 0},
      {"coopcraft.v1.AdminService/ErasePerson", 0},

      {"coopcraft.v1.SelectionService/OpenCall", kStaff},
      {"coopcraft.v1.SelectionService/CloseCall", kStaff},
      {"coopcraft.v1.SelectionService/SubmitApplication", kStaffAndCpas},
      {"coopcraft.v1.SelectionService/ReviewApplication", kStaff},
      {"coopcraft.v1.SelectionService/RecordCpasOpinion", kStaffAndCpas},
      {"coopcraft.v1.SelectionService/SelectCandidate", kStaff},
      {"coopcraft.v1.SelectionService/WaitlistCandidate", kStaff},
      {"coopcraft.v1.SelectionService/RejectCandidate", kStaff},
      {"coopcraft.v1.SelectionService/WithdrawApplication", kStaffAndCpas},

      {"coopcraft.v1.ProjectService/OpenProject", kStaff},
      // The CPAS employs the participant: it keeps the worked days.
      {"coopcraft.v1.ProjectService/RecordWorkedDays", kStaffAndCpas},
      {"coopcraft.v1.ProjectService/DraftDeliverable", kStaff},
      {"coopcraft.v1.ProjectService/SubmitDeliverable", kStaff},
      {"coopcraft.v1.ProjectService/RequestDeliverableChanges", kStaff},
      {"coopcraft.v1.ProjectService/ValidateDeliverable", kStaff},
      {"coopcraft.v1.ProjectService/AssignMentor", kStaff},
      // A mentor plans and reports their own meetings with their mentee.
      {"coopcraft.v1.ProjectService/ScheduleMentorMeeting",
       Of({kCoach, kMentor})},
      {"coopcraft.v1.ProjectService/RecordMentorMeeting",
       Of({kCoach, kMentor})},
      {"coopcraft.v1.ProjectService/RecordInterview", kStaff},
      {"coopcraft.v1.ProjectService/LogAction", kStaff},
      {"coopcraft.v1.ProjectService/PlanMilestone", kStaff},
      {"coopcraft.v1.ProjectService/MoveMilestone", kStaff},
      {"coopcraft.v1.ProjectService/CompleteMilestone", kStaff},
      {"coopcraft.v1.ProjectService/RequestResource", kStaff},
      {"coopcraft.v1.ProjectService/DecideResourceRequest", kStaff},
      {"coopcraft.v1.ProjectService/SubmitFundingApplication", kStaff},
      {"coopcraft.v1.ProjectService/RecordFundingDecision", kStaff},
      {"coopcraft.v1.ProjectService/ContactPartner", kStaff},
      {"coopcraft.v1.ProjectService/AgreePartnership", kStaff},
      {"coopcraft.v1.ProjectService/PublishCommunication", kStaff},
      {"coopcraft.v1.ProjectService/RecordEvaluation", kStaff},
      {"coopcraft.v1.ProjectService/ProposeHandOff", kStaff},
      {"coopcraft.v1.ProjectService/EndContract", kStaff},
      {"coopcraft.v1.ProjectService/CloseProject", kStaff},

      {"coopcraft.v1.CohortService/RecordGroupMeeting", kStaff},

      // Only the organisation addressed answers; staff only read.
      {"coopcraft.v1.HandOffService/AcceptHandOff", Of({kPartner})},
      {"coopcraft.v1.HandOffService/DeclineHandOff", Of({kPartner})},
      {"coopcraft.v1.HandOffService/ListHandOffs", Of({kCoach, kPartner})},
      {"coopcraft.v1.HandOffService/GetHandOff", Of({kCoach, kPartner})},

      {"coopcraft.v1.QueryService/GetProject", kProjectReaders},
      {"coopcraft.v1.QueryService/ListProjects", kProjectReaders},
      {"coopcraft.v1.QueryService/GetGantt", kProjectReaders},
      {"coopcraft.v1.QueryService/GetFundingTracker", kAggregateReaders},
      {"coopcraft.v1.QueryService/GetPartnerTracker", kAggregateReaders},
      {"coopcraft.v1.QueryService/GetCommunicationTracker", kAggregateReaders},
      {"coopcraft.v1.QueryService/GetCohort", kAggregateReaders},
      // Suppressed small counts: fit for funders' auditors too.
      {"coopcraft.v1.QueryService/GetFunderReport",
       Of({kCoach, kDashboard, kAuditor})},

      {"coopcraft.v1.EventStreamService/ReadStream", kLogReaders},
      {"coopcraft.v1.EventStreamService/ReadAll", kLogReaders},
      {"coopcraft.v1.EventStreamService/Subscribe", kLogReaders},

      {"coopcraft.v1.AuditService/VerifyChain", Of({kAuditor})},
      {"coopcraft.v1.AuditService/ExportLog", Of({kAuditor})},
      {"coopcraft.v1.AuditService/ReplayProjection", Of({kAuditor})},
      {"coopcraft.v1.AuditService/ListAccessRecords", Of({kAuditor})},
  };
  return *rules;
}

}  // namespace

bool HasRule(absl::string_view method) { return Rules().contains(method); }

absl::Status Authorize(const Principal& principal, absl::string_view method) {
  auto rule = Rules().find(method);
  if (rule == Rules().end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "ROLE_NOT_ALLOWED: no role may call ", method, " (it has no rule)"));
  }
  const Role role = principal.role;
  const bool known_role = coopcraft::v1::Role_IsValid(role) &&
                          role != coopcraft::v1::ROLE_UNSPECIFIED;
  if (known_role && (role == kAdmin || (rule->second & Bit(role)) != 0)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "ROLE_NOT_ALLOWED: role ", RoleName(role), " may not call ", method));
}

std::vector<Role> AllowedRoles(absl::string_view method) {
  std::vector<Role> roles;
  auto rule = Rules().find(method);
  if (rule == Rules().end()) return roles;
  for (int r = coopcraft::v1::Role_MIN; r <= coopcraft::v1::Role_MAX; ++r) {
    const Role role = static_cast<Role>(r);
    if (role == coopcraft::v1::ROLE_UNSPECIFIED) continue;
    if (role == kAdmin || (rule->second & Bit(role)) != 0) {
      roles.push_back(role);
    }
  }
  return roles;
}

}  // namespace coopcraft::auth
