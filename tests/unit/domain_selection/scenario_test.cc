// The given/when/then helper itself: a passing suite means nothing unless
// Then and ThenFails fail when they should.
#include "scenario.h"

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "selection_fixtures.h"

namespace coopcraft::testing {
namespace {

TEST(ScenarioTest, ThenReportsAnEventThatDiffers) {
  EXPECT_NONFATAL_FAILURE(
      Given({Submitted()}).When(Review()).Then({Reviewed("reviewer-z")}),
      "reviewer-z");
}

TEST(ScenarioTest, ThenReportsAMissingEvent) {
  EXPECT_NONFATAL_FAILURE(Given({Submitted()})
                              .When(Review())
                              .Then({Reviewed(), Reviewed("reviewer-b")}),
                          "expected 2 events, got 1");
}

TEST(ScenarioTest, ThenReportsARefusal) {
  EXPECT_NONFATAL_FAILURE(
      Given(kNoApplication).When(Review()).Then({Reviewed()}),
      "APPLICATION_NOT_FOUND");
}

TEST(ScenarioTest, ThenFailsReportsAnotherReason) {
  EXPECT_NONFATAL_FAILURE(Given({Submitted(), Reviewed()})
                              .When(Review())
                              .ThenRefuses("RUBRIC_CRITERION_UNKNOWN"),
                          "REVIEWER_ALREADY_REVIEWED");
}

TEST(ScenarioTest, ThenFailsReportsAnotherCode) {
  EXPECT_NONFATAL_FAILURE(
      Given(kNoApplication).When(Review()).ThenRefuses("APPLICATION_NOT_FOUND"),
      "NOT_FOUND");
}

TEST(ScenarioTest, ThenFailsReportsSuccess) {
  EXPECT_NONFATAL_FAILURE(
      Given({Submitted()}).When(Review()).ThenRefuses("DATE_IN_FUTURE"),
      "got 1 events");
}

}  // namespace
}  // namespace coopcraft::testing
