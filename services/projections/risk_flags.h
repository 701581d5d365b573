// Risk flags and the other parts of a project view that depend on today's
// date, so they are computed at query time and never stored.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_RISK_FLAGS_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_RISK_FLAGS_H_

#include <vector>

#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/query_service.pb.h"

namespace coopcraft::projections {

// The flags `view` carries on `today` (a valid date), in RiskFlag order:
//  - CONTRACT_ENDING_WITHOUT_EVALUATION: the contract has not ended, has no
//    evaluation, and its expected end is at most 90 days away (or past);
//  - NO_MENTOR_MEETING: the contract has not ended, no mentor meeting was
//    held, and today is at least three months after the start;
//  - FUNDING_DEADLINE_NOT_SUBMITTED: an undecided application's deadline is
//    between today and 14 days from now and it was not sent by today.
std::vector<coopcraft::v1::RiskFlag> RiskFlagsOn(
    const coopcraft::v1::ProjectView& view, const coopcraft::v1::Date& today);

// Fills the date-dependent fields of a stored view: contract.days_left and
// risk_flags.
void CompleteForToday(const coopcraft::v1::Date& today,
                      coopcraft::v1::ProjectView* view);

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_RISK_FLAGS_H_
