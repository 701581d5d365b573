// Checks shared by the Selection and Cohort deciders. Each returns OK or the
// refusal the decider passes on unchanged.
#ifndef COOPCRAFT_SERVICES_DOMAIN_SELECTION_CHECKS_H_
#define COOPCRAFT_SERVICES_DOMAIN_SELECTION_CHECKS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/common.pb.h"
#include "services/domain/date.h"
#include "services/domain/decision.h"

namespace coopcraft::domain::selection {

// Parameters are absl::string_view: Debian's Abseil has its own string_view,
// which absl::StrCat needs.

// DATE_IN_FUTURE unless `date` is today or earlier: every command records
// something that already happened.
inline absl::Status RequireNotInFuture(const v1::Date& date,
                                       absl::string_view what,
                                       const DecisionContext& context) {
  if (!DateBefore(context.today, date)) return absl::OkStatus();
  return RuleViolation(
      "DATE_IN_FUTURE",
      absl::StrCat(what, " ", FormatDate(date), " is after today (",
                   FormatDate(context.today), ")"));
}

}  // namespace coopcraft::domain::selection

#endif  // COOPCRAFT_SERVICES_DOMAIN_SELECTION_CHECKS_H_
