// The six-day regime's day count: Sundays skipped, holidays counted, and a
// 312-day target ending one calendar year after the start.
#include "services/domain/project/working_days.h"

#include "gtest/gtest.h"

namespace coopcraft::domain::project {
namespace {

using absl::CivilDay;

TEST(CountedDayTest, SundayIsTheOnlyDayNotCounted) {
  EXPECT_TRUE(IsCountedDay(CivilDay(2025, 9, 6)));   // Saturday
  EXPECT_FALSE(IsCountedDay(CivilDay(2025, 9, 7)));  // Sunday
  EXPECT_TRUE(IsCountedDay(CivilDay(2025, 9, 8)));   // Monday
}

TEST(CountedDayTest, PublicHolidaysAreAssimilatedToWorkedDays) {
  EXPECT_TRUE(IsCountedDay(CivilDay(2025, 12, 25)));  // Christmas, Thursday
  EXPECT_TRUE(IsCountedDay(CivilDay(2025, 4, 21)));   // Easter Monday
}

TEST(CountedDaysBetweenTest, CountsBothEndsAndSkipsSundays) {
  EXPECT_EQ(CountedDaysBetween(CivilDay(2025, 9, 1), CivilDay(2025, 9, 30)),
            26);
  EXPECT_EQ(CountedDaysBetween(CivilDay(2025, 9, 1), CivilDay(2025, 9, 1)), 1);
  EXPECT_EQ(CountedDaysBetween(CivilDay(2025, 9, 7), CivilDay(2025, 9, 7)), 0);
}

TEST(CountedDaysBetweenTest, TwoWeeksAcrossNewYearHoldTwelve) {
  EXPECT_EQ(CountedDaysBetween(CivilDay(2025, 12, 22), CivilDay(2026, 1, 4)),
            12);
}

TEST(CountedDaysBetweenTest, InvertedRangeHasNone) {
  EXPECT_EQ(CountedDaysBetween(CivilDay(2025, 9, 30), CivilDay(2025, 9, 1)), 0);
}

TEST(NthCountedDayAfterTest, ZeroIsTheDayItself) {
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 9, 6), 0), CivilDay(2025, 9, 6));
}

TEST(NthCountedDayAfterTest, SkipsSunday) {
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 9, 6), 1), CivilDay(2025, 9, 8));
}

TEST(NthCountedDayAfterTest, CountsChristmas) {
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 12, 24), 1),
            CivilDay(2025, 12, 25));
}

TEST(NthCountedDayAfterTest, WholeWeeksAndRemainderAgreeWithDayByDay) {
  for (int n = 1; n <= 30; ++n) {
    CivilDay walked = CivilDay(2026, 3, 4);
    for (int left = n; left > 0;) {
      ++walked;
      if (absl::GetWeekday(walked) != absl::Weekday::sunday) --left;
    }
    EXPECT_EQ(NthCountedDayAfter(CivilDay(2026, 3, 4), n), walked) << n;
  }
}

TEST(NthCountedDayAfterTest, TargetsOf312468And624DaysMakeOneToTwoYears) {
  // Counting from Monday 2025-09-01 included.
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 8, 31), 312),
            CivilDay(2026, 8, 29));
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 8, 31), 468),
            CivilDay(2027, 2, 27));
  EXPECT_EQ(NthCountedDayAfter(CivilDay(2025, 8, 31), 624),
            CivilDay(2027, 8, 28));
}

}  // namespace
}  // namespace coopcraft::domain::project
