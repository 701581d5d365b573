// The Belgian working-day calendar.
#include "services/domain/project/working_days.h"

namespace coopcraft::domain::project {

absl::CivilDay EasterSunday(absl::civil_year_t year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher): exact for every
  // Gregorian year, integer arithmetic only.
  const int64_t a = year % 19;
  const int64_t b = year / 100;
  const int64_t c = year % 100;
  const int64_t d = b / 4;
  const int64_t e = b % 4;
  const int64_t f = (b + 8) / 25;
  const int64_t g = (b - f + 1) / 3;
  const int64_t h = (19 * a + b - d - g + 15) % 30;
  const int64_t i = c / 4;
  const int64_t k = c % 4;
  const int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int64_t m = (a + 11 * h + 22 * l) / 451;
  const int64_t month = (h + l - 7 * m + 114) / 31;
  const int64_t day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, static_cast<int>(month), static_cast<int>(day));
}

bool IsBelgianPublicHoliday(absl::CivilDay day) {
  const int month = day.month();
  const int dom = day.day();
  if ((month == 1 && dom == 1) || (month == 5 && dom == 1) ||
      (month == 7 && dom == 21) || (month == 8 && dom == 15) ||
      (month == 11 && (dom == 1 || dom == 11)) || (month == 12 && dom == 25)) {
    return true;
  }
  // Easter Monday, Ascension Day and Whit Monday are 1, 39 and 50 days after
  // Easter Sunday and always fall between 23 March and 14 June.
  if (month < 3 || month > 6) return false;
  const absl::CivilDay easter = EasterSunday(day.year());
  const int64_t offset = day - easter;
  return offset == 1 || offset == 39 || offset == 50;
}

bool IsWeekday(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

bool IsWorkingDay(absl::CivilDay day) {
  return IsWeekday(day) && !IsBelgianPublicHoliday(day);
}

int64_t WeekdaysBetween(absl::CivilDay first, absl::CivilDay last) {
  if (last < first) return 0;
  const int64_t days = last - first + 1;
  // Every run of seven consecutive days holds five weekdays; count the
  // leftover (at most six) days one by one.
  int64_t weekdays = days / 7 * 5;
  for (absl::CivilDay day = first + days / 7 * 7; day <= last; ++day) {
    if (IsWeekday(day)) ++weekdays;
  }
  return weekdays;
}

absl::CivilDay NthWorkingDayAfter(absl::CivilDay day, int64_t n) {
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

}  // namespace coopcraft::domain::project
