// The Article 60 §7 contract rule: how many worked days a contract must
// reach, as a table of date-effective rule sets. A contract follows the rule
// set in force on its start date for its whole life; a new regulation is one
// more row in ContractRuleSets().
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_CONTRACT_RULE_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_CONTRACT_RULE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"

namespace coopcraft::domain::project {

// Target worked days for everyone aged `min_age` or more at the contract
// start (up to the next band's min_age).
struct AgeBandTarget {
  int min_age = 0;
  int32_t target_days = 0;
};

// One regulation: from `effective_from` on (until the next row's date),
// contracts starting that day get the target of the participant's band.
struct ContractRuleSet {
  absl::CivilDay effective_from;
  // Stable name recorded in ProjectOpened; never reuse or rename one.
  std::string name;
  // Ascending min_age; the first band starts at age 0.
  std::vector<AgeBandTarget> bands;
};

// The programme's rule sets, ascending by effective_from.
absl::Span<const ContractRuleSet> ContractRuleSets();

// The target a contract starting on `start` gets for a participant aged
// `age_at_start` (completed years on `start`).
struct ContractTarget {
  std::string rule_set;
  int32_t target_days = 0;
};

// Picks the last rule set with effective_from <= start, then the last band
// with min_age <= age_at_start. FAILED_PRECONDITION
// "NO_CONTRACT_RULE_IN_FORCE" when no row applies. `rule_sets` must be
// ascending by effective_from; tests pass their own table.
absl::StatusOr<ContractTarget> TargetWorkedDays(
    absl::CivilDay start, int age_at_start,
    absl::Span<const ContractRuleSet> rule_sets = ContractRuleSets());

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_CONTRACT_RULE_H_
