// The Article 60 §7 contract rule table.
#include "services/domain/project/contract_rule.h"

#include "absl/strings/str_format.h"
#include "services/domain/decision.h"

namespace coopcraft::domain::project {

absl::Span<const ContractRuleSet> ContractRuleSets() {
  // Historically the contract lasted until the worker had the days needed
  // to open unemployment rights, which depended on age; contracts starting
  // from 2026-03-01 need 312 days whatever the age. The first row starts
  // with the CPAS organic law of 8 July 1976 that created Article 60.
  static const auto* const kRuleSets = new std::vector<ContractRuleSet>{
      {.effective_from = absl::CivilDay(1976, 7, 8),
       .name = "art60-age-banded-1976",
       .bands = {{.min_age = 0, .target_days = 312},
                 {.min_age = 36, .target_days = 468},
                 {.min_age = 50, .target_days = 624}}},
      {.effective_from = absl::CivilDay(2026, 3, 1),
       .name = "art60-uniform-2026",
       .bands = {{.min_age = 0, .target_days = 312}}},
  };
  return *kRuleSets;
}

absl::StatusOr<ContractTarget> TargetWorkedDays(
    absl::CivilDay start, int age_at_start,
    absl::Span<const ContractRuleSet> rule_sets) {
  const ContractRuleSet* in_force = nullptr;
  for (const ContractRuleSet& rule_set : rule_sets) {
    if (rule_set.effective_from <= start) in_force = &rule_set;
  }
  if (in_force == nullptr) {
    return RuleViolation(
        "NO_CONTRACT_RULE_IN_FORCE",
        absl::StrFormat("no contract rule set was in force on %04d-%02d-%02d",
                        start.year(), start.month(), start.day()));
  }
  const AgeBandTarget* band = nullptr;
  for (const AgeBandTarget& candidate : in_force->bands) {
    if (candidate.min_age <= age_at_start) band = &candidate;
  }
  if (band == nullptr) {
    return RuleViolation("NO_CONTRACT_RULE_IN_FORCE",
                         absl::StrFormat("rule set %s has no band for age %d",
                                         in_force->name, age_at_start));
  }
  return ContractTarget{.rule_set = std::string(in_force->name),
                        .target_days = band->target_days};
}

}  // namespace coopcraft::domain::project
