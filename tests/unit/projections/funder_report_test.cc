// Funder report: participants of a period by gender, age band, CPAS and
// prior status; exits by category; every count from 1 to 4 suppressed,
// totals included, and counts beside them so subtraction recovers none.
#include <string>
#include <vector>

#include "coopcraft/v1/project_events.pb.h"
#include "gtest/gtest.h"
#include "services/projections/funder_report_projection.h"
#include "tests/unit/projections/report_test_events.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::RecordMaker;

struct Participant {
  std::string id;
  v1::GenderCategory gender = v1::GENDER_CATEGORY_WOMAN;
  v1::AgeBand age_band = v1::AGE_BAND_UNDER_36;
  std::string cpas = "cpas-a";
  int32_t months = 3;
  v1::Date start = Day(2026, 1, 1);
  v1::Date expected_end = Day(2026, 12, 31);
};

// The count shown, or -1 when suppressed.
int Shown(const v1::ReportCount& count) {
  return count.value_case() == v1::ReportCount::kSuppressed ? -1
                                                            : count.count();
}

class FunderReportTest : public ::testing::Test {
 protected:
  void Open(const Participant& p) {
    v1::ProjectEvent e;
    v1::ProjectOpened& opened = *e.mutable_project_opened();
    opened.set_project_id(p.id);
    opened.set_gender_category(p.gender);
    opened.set_age_band(p.age_band);
    opened.set_employing_cpas_id(p.cpas);
    opened.set_months_on_integration_income(p.months);
    *opened.mutable_contract_start_date() = p.start;
    *opened.mutable_expected_end_date() = p.expected_end;
    ApplyRecord(records_.Make("project-" + p.id, e), projection_);
  }

  void End(const std::string& id, const v1::Date& on, v1::ExitOutcome exit) {
    v1::ProjectEvent e;
    *e.mutable_contract_ended()->mutable_ended_on() = on;
    e.mutable_contract_ended()->set_exit_outcome(exit);
    ApplyRecord(records_.Make("project-" + id, e), projection_);
  }

  void OpenWomen(int count, const std::string& cpas = "cpas-a") {
    for (int i = 0; i < count; ++i) {
      Open({.id = cpas + "-w" + std::to_string(i), .cpas = cpas});
    }
  }

  v1::FunderReport Report2026(const std::string& cpas = "") {
    return projection_.Report(Day(2026, 1, 1), Day(2026, 12, 31), cpas);
  }

  RecordMaker records_;
  FunderReportProjection projection_;
};

TEST(ReportedCountTest, OneToFourAreSuppressedZeroAndFiveAreShown) {
  EXPECT_EQ(Shown(ReportedCount(0)), 0);
  EXPECT_TRUE(ReportedCount(0).has_count());
  for (int n = 1; n <= 4; ++n) {
    EXPECT_TRUE(ReportedCount(n).suppressed()) << n;
    EXPECT_FALSE(ReportedCount(n).has_count()) << n;
  }
  EXPECT_EQ(Shown(ReportedCount(5)), 5);
  EXPECT_EQ(Shown(ReportedCount(123)), 123);
}

TEST(PriorStatusBandTest, BandsAreUnder12Then12To23Then24AndOver) {
  EXPECT_EQ(PriorStatusBandOf(0), v1::PRIOR_STATUS_BAND_UNDER_12_MONTHS);
  EXPECT_EQ(PriorStatusBandOf(11), v1::PRIOR_STATUS_BAND_UNDER_12_MONTHS);
  EXPECT_EQ(PriorStatusBandOf(12), v1::PRIOR_STATUS_BAND_12_TO_23_MONTHS);
  EXPECT_EQ(PriorStatusBandOf(23), v1::PRIOR_STATUS_BAND_12_TO_23_MONTHS);
  EXPECT_EQ(PriorStatusBandOf(24), v1::PRIOR_STATUS_BAND_24_MONTHS_AND_OVER);
}

TEST_F(FunderReportTest, BreakdownsShowLargeGroupsAndSuppressSmallOnes) {
  OpenWomen(5);
  Open({.id = "m1",
        .gender = v1::GENDER_CATEGORY_MAN,
        .age_band = v1::AGE_BAND_36_TO_49,
        .cpas = "cpas-b",
        .months = 30});
  const v1::FunderReport report = Report2026();
  EXPECT_EQ(Shown(report.participants()), 6);
  ASSERT_EQ(report.by_gender_size(), 4);
  EXPECT_EQ(report.by_gender(0).gender_category(), v1::GENDER_CATEGORY_WOMAN);
  EXPECT_EQ(report.by_gender(1).gender_category(), v1::GENDER_CATEGORY_MAN);
  EXPECT_EQ(Shown(report.by_gender(1).participants()), -1);
  // 6 - 5 would tell the man's count: the 5 is withheld beside it.
  EXPECT_EQ(Shown(report.by_gender(0).participants()), -1);
  EXPECT_EQ(Shown(report.by_gender(2).participants()), 0);
  ASSERT_EQ(report.by_age_band_size(), 3);
  EXPECT_EQ(Shown(report.by_age_band(0).participants()), -1);
  EXPECT_EQ(Shown(report.by_age_band(1).participants()), -1);
  EXPECT_EQ(Shown(report.by_age_band(2).participants()), 0);
  ASSERT_EQ(report.by_employing_cpas_size(), 2);
  EXPECT_EQ(report.by_employing_cpas(0).employing_cpas_id(), "cpas-a");
  EXPECT_EQ(Shown(report.by_employing_cpas(0).participants()), -1);
  EXPECT_EQ(Shown(report.by_employing_cpas(1).participants()), -1);
  ASSERT_EQ(report.by_prior_status_size(), 3);
  EXPECT_EQ(Shown(report.by_prior_status(0).participants()), -1);
  EXPECT_EQ(Shown(report.by_prior_status(1).participants()), 0);
  EXPECT_EQ(Shown(report.by_prior_status(2).participants()), -1);
}

TEST_F(FunderReportTest, LargeGroupsStayShownWhenTheSmallOnesHideEachOther) {
  OpenWomen(6);
  Open({.id = "m1", .gender = v1::GENDER_CATEGORY_MAN});
  Open({.id = "m2", .gender = v1::GENDER_CATEGORY_MAN});
  Open({.id = "m3", .gender = v1::GENDER_CATEGORY_MAN});
  Open({.id = "n1", .gender = v1::GENDER_CATEGORY_NON_BINARY});
  Open({.id = "n2", .gender = v1::GENDER_CATEGORY_NON_BINARY});
  const v1::FunderReport report = Report2026();
  EXPECT_EQ(Shown(report.participants()), 11);
  // 3 and 2 are withheld and add up to 5, which they could split as 1 + 4,
  // 2 + 3, 3 + 2 or 4 + 1: the 6 can stay.
  EXPECT_EQ(Shown(report.by_gender(0).participants()), 6);
  EXPECT_EQ(Shown(report.by_gender(1).participants()), -1);
  EXPECT_EQ(Shown(report.by_gender(2).participants()), -1);
  EXPECT_EQ(Shown(report.by_gender(3).participants()), 0);
}

// No withheld count of any breakdown is the total minus what is shown, and
// no set of withheld counts is pinned down by its sum (all ones).
TEST(CountsToWithholdTest, NoWithheldCountIsRecoveredFromTheTotal) {
  const std::vector<std::vector<int64_t>> breakdowns = {
      {5, 2, 0, 0}, {1, 1, 9}, {1, 1, 0}, {4, 4, 6}, {12, 3, 7, 5},
      {0, 0, 0},    {5, 5},    {2, 3},    {1, 12},   {6, 1, 1, 1, 30}};
  for (const std::vector<int64_t>& cells : breakdowns) {
    int64_t total = 0;
    for (int64_t cell : cells) total += cell;
    const Withheld withheld = CountsToWithhold(cells, total);
    ASSERT_EQ(withheld.cells.size(), cells.size());
    EXPECT_EQ(withheld.total, total >= 1 && total <= 4);
    int64_t withheld_sum = 0;
    int withheld_count = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      const bool small = cells[i] >= 1 && cells[i] <= 4;
      if (small) {
        EXPECT_TRUE(withheld.cells[i]) << i;
      }
      if (cells[i] == 0) {
        EXPECT_FALSE(withheld.cells[i]) << i;
      }
      if (withheld.cells[i]) {
        withheld_sum += cells[i];
        ++withheld_count;
      }
    }
    if (withheld_count > 0 && !withheld.total) {
      EXPECT_GE(withheld_count, 2) << cells.size();
      EXPECT_GT(withheld_sum, kLargestSuppressedCount) << cells.size();
    }
  }
}

TEST_F(FunderReportTest, SmallTotalsAreSuppressedToo) {
  OpenWomen(3);
  const v1::FunderReport report = Report2026();
  EXPECT_EQ(Shown(report.participants()), -1);
  EXPECT_EQ(Shown(report.exits()), 0);
  EXPECT_EQ(Shown(Report2026("cpas-none").participants()), 0);
}

TEST_F(FunderReportTest, CpasFilterKeepsOnlyItsParticipants) {
  OpenWomen(5, "cpas-a");
  OpenWomen(6, "cpas-b");
  EXPECT_EQ(Shown(Report2026().participants()), 11);
  const v1::FunderReport b = Report2026("cpas-b");
  EXPECT_EQ(Shown(b.participants()), 6);
  ASSERT_EQ(b.by_employing_cpas_size(), 1);
  EXPECT_EQ(b.by_employing_cpas(0).employing_cpas_id(), "cpas-b");
}

TEST_F(FunderReportTest, ContractsTouchingThePeriodOnItsBoundaryCount) {
  // Five contracts that touch 2026 by one day at either end, and others
  // that miss it by one day.
  for (int i = 0; i < 3; ++i) {
    Open({.id = "ends-on-start-" + std::to_string(i),
          .start = Day(2025, 1, 1),
          .expected_end = Day(2026, 1, 1)});
  }
  for (int i = 0; i < 2; ++i) {
    Open({.id = "starts-on-end-" + std::to_string(i),
          .start = Day(2026, 12, 31),
          .expected_end = Day(2027, 12, 31)});
  }
  Open({.id = "ends-before",
        .start = Day(2025, 1, 1),
        .expected_end = Day(2025, 12, 31)});
  Open({.id = "starts-after",
        .start = Day(2027, 1, 1),
        .expected_end = Day(2027, 12, 31)});
  EXPECT_EQ(Shown(Report2026().participants()), 5);
}

TEST_F(FunderReportTest, ActualEndReplacesTheExpectedOne) {
  // Expected to run into 2026, these five ended in 2025.
  for (int i = 0; i < 5; ++i) {
    const std::string id = "early-" + std::to_string(i);
    Open({.id = id, .start = Day(2025, 1, 1), .expected_end = Day(2026, 6, 1)});
    End(id, Day(2025, 12, 31), v1::EXIT_OUTCOME_EMPLOYMENT);
  }
  EXPECT_EQ(Shown(Report2026().participants()), 0);
  EXPECT_EQ(Shown(Report2026().exits()), 0);
  EXPECT_EQ(
      Shown(projection_.Report(Day(2025, 1, 1), Day(2025, 12, 31), "").exits()),
      5);
}

TEST_F(FunderReportTest, ExitsWithinThePeriodByCategory) {
  OpenWomen(10);
  // Self-employment and hand-off are one category for funders.
  for (int i = 0; i < 3; ++i) {
    End("cpas-a-w" + std::to_string(i), Day(2026, 12, 31),
        v1::EXIT_OUTCOME_SELF_EMPLOYMENT);
  }
  for (int i = 3; i < 5; ++i) {
    End("cpas-a-w" + std::to_string(i), Day(2026, 6, 1),
        v1::EXIT_OUTCOME_HAND_OFF);
  }
  End("cpas-a-w5", Day(2026, 6, 1), v1::EXIT_OUTCOME_TRAINING);
  // Ended the day after the period: a participant, not an exit.
  End("cpas-a-w6", Day(2027, 1, 1), v1::EXIT_OUTCOME_EMPLOYMENT);
  const v1::FunderReport report = Report2026();
  EXPECT_EQ(Shown(report.participants()), 10);
  EXPECT_EQ(Shown(report.exits()), 6);
  ASSERT_EQ(report.exits_by_category_size(), 4);
  EXPECT_EQ(report.exits_by_category(0).category(),
            v1::FUNDER_EXIT_CATEGORY_EMPLOYMENT);
  EXPECT_EQ(Shown(report.exits_by_category(0).exits()), 0);
  EXPECT_EQ(report.exits_by_category(1).category(),
            v1::FUNDER_EXIT_CATEGORY_SELF_EMPLOYMENT_OR_HAND_OFF);
  // The one training exit is withheld, and the 5 beside it with it.
  EXPECT_EQ(Shown(report.exits_by_category(1).exits()), -1);
  EXPECT_EQ(Shown(report.exits_by_category(2).exits()), -1);
  EXPECT_EQ(Shown(report.exits_by_category(3).exits()), 0);
}

TEST_F(FunderReportTest, StoredFactsRestoreTheSameReport) {
  OpenWomen(7);
  End("cpas-a-w0", Day(2026, 5, 1), v1::EXIT_OUTCOME_OTHER);
  std::vector<StateWrite> writes;
  projection_.TakeChanges(&writes);
  ASSERT_EQ(writes.size(), 7u);
  FunderReportProjection restored;
  for (const StateWrite& write : writes) {
    ASSERT_TRUE(restored.Restore(write.key, *write.value).ok());
  }
  EXPECT_EQ(restored.Report(Day(2026, 1, 1), Day(2026, 12, 31), "")
                .SerializeAsString(),
            Report2026().SerializeAsString());
}

}  // namespace
}  // namespace coopcraft::projections
