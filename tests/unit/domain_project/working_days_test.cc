// The Belgian working-day calendar: Easter-based holidays, fixed holidays,
// weekends, and counting working days forward.
#include "services/domain/project/working_days.h"

#include "gtest/gtest.h"

namespace coopcraft::domain::project {
namespace {

using absl::CivilDay;

TEST(EasterSundayTest, MatchesPublishedDates) {
  EXPECT_EQ(EasterSunday(2024), CivilDay(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), CivilDay(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), CivilDay(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2038), CivilDay(2038, 4, 25));  // latest possible
  EXPECT_EQ(EasterSunday(2285), CivilDay(2285, 3, 22));  // earliest possible
}

TEST(PublicHolidayTest, EasterBasedHolidaysOf2024) {
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2024, 4, 1)));   // Easter Monday
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2024, 5, 9)));   // Ascension
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2024, 5, 20)));  // Whit Monday
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2024, 4, 2)));
}

TEST(PublicHolidayTest, EasterBasedHolidaysOf2025) {
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2025, 4, 21)));
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2025, 5, 29)));
  EXPECT_TRUE(IsBelgianPublicHoliday(CivilDay(2025, 6, 9)));
  // 2024's movable dates are ordinary days in 2025.
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2025, 4, 1)));
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2025, 5, 9)));
}

TEST(PublicHolidayTest, EasterSundayAndGoodFridayAreNotHolidays) {
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2025, 4, 20)));
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2025, 4, 18)));
}

TEST(PublicHolidayTest, FixedHolidays) {
  for (CivilDay day :
       {CivilDay(2026, 1, 1), CivilDay(2026, 5, 1), CivilDay(2026, 7, 21),
        CivilDay(2026, 8, 15), CivilDay(2026, 11, 1), CivilDay(2026, 11, 11),
        CivilDay(2026, 12, 25)}) {
    EXPECT_TRUE(IsBelgianPublicHoliday(day)) << day;
  }
  EXPECT_FALSE(IsBelgianPublicHoliday(CivilDay(2026, 12, 26)));  // not BE
}

TEST(WorkingDayTest, WeekendsAreNotWorkingDays) {
  EXPECT_FALSE(IsWorkingDay(CivilDay(2025, 9, 6)));  // Saturday
  EXPECT_FALSE(IsWorkingDay(CivilDay(2025, 9, 7)));  // Sunday
  EXPECT_TRUE(IsWorkingDay(CivilDay(2025, 9, 8)));   // Monday
}

TEST(WorkingDayTest, HolidayOnAWeekdayIsNotAWorkingDay) {
  EXPECT_TRUE(IsWeekday(CivilDay(2025, 12, 25)));
  EXPECT_FALSE(IsWorkingDay(CivilDay(2025, 12, 25)));
}

TEST(WeekdaysBetweenTest, CountsBothEndsAndSkipsWeekends) {
  EXPECT_EQ(WeekdaysBetween(CivilDay(2025, 9, 1), CivilDay(2025, 9, 30)), 22);
  EXPECT_EQ(WeekdaysBetween(CivilDay(2025, 9, 1), CivilDay(2025, 9, 1)), 1);
  EXPECT_EQ(WeekdaysBetween(CivilDay(2025, 9, 6), CivilDay(2025, 9, 7)), 0);
}

TEST(WeekdaysBetweenTest, HolidaysStillCountAsWeekdays) {
  EXPECT_EQ(WeekdaysBetween(CivilDay(2025, 12, 22), CivilDay(2026, 1, 4)), 10);
}

TEST(WeekdaysBetweenTest, InvertedRangeHasNone) {
  EXPECT_EQ(WeekdaysBetween(CivilDay(2025, 9, 30), CivilDay(2025, 9, 1)), 0);
}

TEST(NthWorkingDayAfterTest, ZeroIsTheDayItself) {
  EXPECT_EQ(NthWorkingDayAfter(CivilDay(2025, 9, 6), 0), CivilDay(2025, 9, 6));
}

TEST(NthWorkingDayAfterTest, SkipsChristmas) {
  EXPECT_EQ(NthWorkingDayAfter(CivilDay(2025, 12, 24), 1),
            CivilDay(2025, 12, 26));
}

TEST(NthWorkingDayAfterTest, SkipsTheEasterWeekend) {
  // Good Friday 2025 -> Saturday, Sunday, Easter Monday skipped.
  EXPECT_EQ(NthWorkingDayAfter(CivilDay(2025, 4, 18), 1),
            CivilDay(2025, 4, 22));
}

TEST(NthWorkingDayAfterTest, SkipsAscensionThursday) {
  EXPECT_EQ(NthWorkingDayAfter(CivilDay(2025, 5, 27), 5), CivilDay(2025, 6, 4));
}

TEST(NthWorkingDayAfterTest, ContractOf312DaysFromSeptember2025) {
  // Counting from Monday 2025-09-01 included.
  EXPECT_EQ(NthWorkingDayAfter(CivilDay(2025, 8, 31), 312),
            CivilDay(2026, 11, 23));
}

}  // namespace
}  // namespace coopcraft::domain::project
