// Rules of a call for applications: it opens once, with coherent dates, and
// closes once.
#include "gtest/gtest.h"
#include "scenario.h"
#include "selection_fixtures.h"

namespace coopcraft::testing {
namespace {

using domain::selection::CallState;
using domain::selection::CallStream;

TEST(CallStreamTest, IsNamedAfterTheCallId) {
  EXPECT_EQ(CallStream("dm-2026"), "call-dm-2026");
}

TEST(OpenCallTest, RecordsTheCallAsAnnounced) {
  Given(kNoCall).When(OpenCall()).Then({CallOpened()});
}

TEST(OpenCallTest, OpensOnlyOnce) {
  Given({CallOpened()}).When(OpenCall()).ThenRefuses("CALL_ALREADY_OPENED");
}

TEST(OpenCallTest, ClosingDateMustFollowOpeningDate) {
  Given(kNoCall)
      .When(
          With(OpenCall(), [](auto& c) { *c.mutable_closes_on() = OpensOn(); }))
      .ThenRefuses("CALL_CLOSES_BEFORE_OPENING");
}

TEST(OpenCallTest, ClosingDateAlreadyPassedIsRefused) {
  Given(kNoCall)
      .On(D(2026, 2, 28))
      .When(OpenCall())
      .ThenRefuses("CALL_CLOSING_DATE_PASSED");
}

TEST(OpenCallTest, ClosingTodayIsAccepted) {
  Given(kNoCall).On(ClosesOn()).When(OpenCall()).Then({CallOpened()});
}

TEST(CloseCallTest, ClosingBeforeTheClosingDateIsEarly) {
  Given({CallOpened()})
      .When(CloseCall(D(2026, 2, 16)))
      .Then({CallClosed(D(2026, 2, 16), /*early=*/true)});
}

TEST(CloseCallTest, ClosingAfterTheClosingDateIsNotEarly) {
  Given({CallOpened()})
      .On(D(2026, 3, 2))
      .When(CloseCall(D(2026, 3, 2)))
      .Then({CallClosed(D(2026, 3, 2), /*early=*/false)});
}

TEST(CloseCallTest, UnknownCallIsNotFound) {
  Given(kNoCall)
      .When(CloseCall(D(2026, 2, 16)))
      .ThenFails(absl::StatusCode::kNotFound, "CALL_NOT_FOUND");
}

TEST(CloseCallTest, ClosesOnlyOnce) {
  Given({CallOpened(), CallClosed(D(2026, 2, 10), true)})
      .When(CloseCall(D(2026, 2, 16)))
      .ThenRefuses("CALL_ALREADY_CLOSED");
}

TEST(CloseCallTest, CannotCloseBeforeItOpened) {
  Given({CallOpened()})
      .When(CloseCall(D(2026, 1, 4)))
      .ThenRefuses("CALL_CLOSED_BEFORE_OPENING");
}

TEST(CloseCallTest, ClosingDayCannotBeInTheFuture) {
  Given({CallOpened()})
      .When(CloseCall(D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(CallEvolveTest, KeepsWhatApplicationsAreCheckedAgainst) {
  const CallState state =
      Fold<CallState>(std::vector<v1::CallEvent>{CallOpened()});
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.call_id, kCall);
  EXPECT_EQ(state.partner_cpas_ids.size(), 2u);
  EXPECT_EQ(state.rubric.size(), 3u);
  EXPECT_FALSE(state.closed);
}

TEST(CallEvolveTest, CountsEveryEventIncludingUnknownOnes) {
  const CallState state = Fold<CallState>(std::vector<v1::CallEvent>{
      CallOpened(), v1::CallEvent(), CallClosed(D(2026, 2, 10), true)});
  EXPECT_EQ(state.event_count, 3u);
  EXPECT_TRUE(state.closed);
}

}  // namespace
}  // namespace coopcraft::testing
