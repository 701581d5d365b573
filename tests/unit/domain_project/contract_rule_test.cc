// The contract rule table: the rule set in force on the start date and the
// participant's age band fix the target worked days.
#include "services/domain/project/contract_rule.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace coopcraft::domain::project {
namespace {

using absl::CivilDay;

constexpr char kHistoric[] = "art60-age-banded-1976";
constexpr char kUniform[] = "art60-uniform-2026";

int32_t Target(CivilDay start, int age) {
  auto target = TargetWorkedDays(start, age);
  EXPECT_TRUE(target.ok()) << target.status();
  return target.ok() ? target->target_days : -1;
}

std::string RuleSet(CivilDay start, int age) {
  auto target = TargetWorkedDays(start, age);
  return target.ok() ? target->rule_set : "";
}

TEST(ContractRuleTest, BeforeMarch2026TargetFollowsTheAgeBand) {
  const CivilDay start(2026, 2, 28);
  EXPECT_EQ(Target(start, 35), 312);
  EXPECT_EQ(Target(start, 36), 468);
  EXPECT_EQ(Target(start, 49), 468);
  EXPECT_EQ(Target(start, 50), 624);
  EXPECT_EQ(RuleSet(start, 50), kHistoric);
}

TEST(ContractRuleTest, FromMarch2026EveryoneGets312) {
  const CivilDay start(2026, 3, 1);
  EXPECT_EQ(Target(start, 35), 312);
  EXPECT_EQ(Target(start, 36), 312);
  EXPECT_EQ(Target(start, 49), 312);
  EXPECT_EQ(Target(start, 50), 312);
  EXPECT_EQ(RuleSet(start, 50), kUniform);
}

TEST(ContractRuleTest, YoungestAndOldestAreCovered) {
  EXPECT_EQ(Target(CivilDay(2020, 1, 1), 18), 312);
  EXPECT_EQ(Target(CivilDay(2020, 1, 1), 67), 624);
}

TEST(ContractRuleTest, NoRuleBeforeArticle60Existed) {
  auto target = TargetWorkedDays(CivilDay(1976, 7, 7), 40);
  EXPECT_EQ(target.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(target.status().message(),
                               "NO_CONTRACT_RULE_IN_FORCE: "));
}

TEST(ContractRuleTest, AFutureRuleIsOneMoreRow) {
  std::vector<ContractRuleSet> table(ContractRuleSets().begin(),
                                     ContractRuleSets().end());
  table.push_back({.effective_from = CivilDay(2030, 1, 1),
                   .name = "art60-future-2030",
                   .bands = {{.min_age = 0, .target_days = 250},
                             {.min_age = 55, .target_days = 300}}});
  auto young = TargetWorkedDays(CivilDay(2030, 1, 1), 54, table);
  auto old = TargetWorkedDays(CivilDay(2030, 1, 1), 55, table);
  auto before = TargetWorkedDays(CivilDay(2029, 12, 31), 55, table);
  ASSERT_TRUE(young.ok() && old.ok() && before.ok());
  EXPECT_EQ(young->target_days, 250);
  EXPECT_EQ(old->target_days, 300);
  EXPECT_EQ(old->rule_set, "art60-future-2030");
  EXPECT_EQ(before->rule_set, kUniform);
}

TEST(ContractRuleTest, TableIsAscendingAndBandsStartAtZero) {
  absl::Span<const ContractRuleSet> table = ContractRuleSets();
  for (size_t i = 0; i < table.size(); ++i) {
    ASSERT_FALSE(table[i].bands.empty());
    EXPECT_EQ(table[i].bands.front().min_age, 0) << table[i].name;
    if (i > 0) {
      EXPECT_LT(table[i - 1].effective_from, table[i].effective_from);
    }
  }
}

}  // namespace
}  // namespace coopcraft::domain::project
