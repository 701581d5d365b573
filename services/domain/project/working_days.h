// The day count of Article 60 §7 contracts. Their target (312, 468 or 624
// days) is the number of days Belgian unemployment insurance requires before
// benefits open, and it counts days in the six-day regime: Monday to
// Saturday, with public holidays and other paid absences assimilated to
// worked days. 312 such days make one calendar year, which is why the
// historical targets read as 12, 18 and 24 months.
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_

#include <cstdint>

#include "absl/time/civil_time.h"

namespace coopcraft::domain::project {

// Days of the six-day regime per week.
inline constexpr int64_t kCountedDaysPerWeek = 6;

// True from Monday to Saturday; public holidays included (assimilated).
bool IsCountedDay(absl::CivilDay day);

// Counted days from `first` to `last`, both included; 0 when `last` <
// `first`. The most days one period of work can contribute.
int64_t CountedDaysBetween(absl::CivilDay first, absl::CivilDay last);

// The `n`-th counted day strictly after `day`; `day` itself when n <= 0.
absl::CivilDay NthCountedDayAfter(absl::CivilDay day, int64_t n);

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_
