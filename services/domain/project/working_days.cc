// The six-day regime's day count.
#include "services/domain/project/working_days.h"

namespace coopcraft::domain::project {

bool IsCountedDay(absl::CivilDay day) {
  return absl::GetWeekday(day) != absl::Weekday::sunday;
}

int64_t CountedDaysBetween(absl::CivilDay first, absl::CivilDay last) {
  if (last < first) return 0;
  const int64_t days = last - first + 1;
  // Any seven consecutive days hold exactly one Sunday; the leftover (at
  // most six) days are counted one by one.
  int64_t counted = days / 7 * kCountedDaysPerWeek;
  for (absl::CivilDay day = first + days / 7 * 7; day <= last; ++day) {
    if (IsCountedDay(day)) ++counted;
  }
  return counted;
}

absl::CivilDay NthCountedDayAfter(absl::CivilDay day, int64_t n) {
  if (n <= 0) return day;
  // Whole weeks first, so a 624-day contract is not walked day by day.
  const int64_t weeks = (n - 1) / kCountedDaysPerWeek;
  day += weeks * 7;
  n -= weeks * kCountedDaysPerWeek;
  while (n > 0) {
    ++day;
    if (IsCountedDay(day)) --n;
  }
  return day;
}

}  // namespace coopcraft::domain::project
