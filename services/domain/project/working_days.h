// The Belgian working-day calendar used to turn remaining worked days into an
// expected contract end date: Monday to Friday, minus the ten legal public
// holidays (three of which move with Easter).
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_

#include <cstdint>

#include "absl/time/civil_time.h"

namespace coopcraft::domain::project {

// Easter Sunday of `year` in the Gregorian calendar.
absl::CivilDay EasterSunday(absl::civil_year_t year);

// True for the Belgian legal public holidays: New Year's Day, Easter Monday,
// Labour Day (1 May), Ascension Day, Whit Monday, National Day (21 July),
// Assumption (15 August), All Saints' Day (1 November), Armistice Day
// (11 November) and Christmas Day.
bool IsBelgianPublicHoliday(absl::CivilDay day);

// True from Monday to Friday.
bool IsWeekday(absl::CivilDay day);

// A weekday that is not a Belgian public holiday.
bool IsWorkingDay(absl::CivilDay day);

// Weekdays from `first` to `last`, both included; 0 when `last` < `first`.
// Public holidays count: a participant may be paid for them.
int64_t WeekdaysBetween(absl::CivilDay first, absl::CivilDay last);

// The `n`-th working day strictly after `day`; `day` itself when n <= 0.
absl::CivilDay NthWorkingDayAfter(absl::CivilDay day, int64_t n);

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_WORKING_DAYS_H_
