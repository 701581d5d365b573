// Hand-off view: proposals, acceptances and declines in; per-partner lists
// (status filter, pages) and single hand-offs out.
#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/handoff_view_projection.h"
#include "tests/unit/projections/tracker_test_support.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::Cents;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::EventFeed;

v1::ProjectEvent Proposed(const std::string& handoff, const std::string& org) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_hand_off_proposed();
  e.set_handoff_id(handoff);
  e.set_partner_organisation_id(org);
  e.set_person_id("person-1");
  e.mutable_dossier()->set_maturity(v1::PROJECT_MATURITY_PILOT);
  *e.mutable_dossier()->mutable_revenue_to_date() = Cents(120000);
  e.mutable_contract()->set_worked_days(250);
  e.set_autonomy_level(v1::AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS);
  *e.mutable_proposed_on() = Day(2027, 2, 1);
  return event;
}

v1::ProjectEvent Accepted(const std::string& handoff, const std::string& org) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_hand_off_accepted();
  e.set_handoff_id(handoff);
  e.set_partner_organisation_id(org);
  *e.mutable_accepted_on() = Day(2027, 2, 10);
  e.set_comment("welcome");
  return event;
}

v1::ProjectEvent Declined(const std::string& handoff, const std::string& org) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_hand_off_declined();
  e.set_handoff_id(handoff);
  e.set_partner_organisation_id(org);
  *e.mutable_declined_on() = Day(2027, 2, 12);
  e.set_reason("no capacity");
  return event;
}

std::vector<std::string> Projects(const HandOffPage& page) {
  std::vector<std::string> ids;
  for (const v1::HandOffView& view : page.handoffs) {
    ids.push_back(view.project_id());
  }
  return ids;
}

class HandOffViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feed_.Give("app-1", Proposed("h1", "org-a"));
    feed_.Give("app-2", Proposed("h1", "org-a"));
    feed_.Give("app-3", Proposed("h1", "org-b"));
    feed_.Give("app-1", Accepted("h1", "org-a"));
    feed_.Give("app-2", Declined("h1", "org-a"));
  }

  HandOffViewProjection projection_;
  EventFeed feed_{projection_};
};

TEST_F(HandOffViewTest, ProposalCarriesTheDossier) {
  auto view = projection_.Get("app-3", "h1");
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->status(), v1::HAND_OFF_STATUS_PROPOSED);
  EXPECT_EQ(view->partner_organisation_id(), "org-b");
  EXPECT_EQ(view->dossier().maturity(), v1::PROJECT_MATURITY_PILOT);
  EXPECT_EQ(view->dossier().revenue_to_date().cents(), 120000);
  EXPECT_EQ(view->contract().worked_days(), 250);
  EXPECT_EQ(view->autonomy_level(), v1::AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS);
  EXPECT_EQ(view->proposed_on().month(), 2);
  EXPECT_FALSE(view->has_accepted_on());
  EXPECT_EQ(view->last_position(), 3u);
}

TEST_F(HandOffViewTest, AcceptAndDeclineAreRecordedWithDatesAndReason) {
  auto accepted = projection_.Get("app-1", "h1");
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->status(), v1::HAND_OFF_STATUS_ACCEPTED);
  EXPECT_EQ(accepted->accepted_on().day(), 10);
  EXPECT_EQ(accepted->accept_comment(), "welcome");
  EXPECT_EQ(accepted->last_position(), 4u);
  auto declined = projection_.Get("app-2", "h1");
  ASSERT_TRUE(declined.has_value());
  EXPECT_EQ(declined->status(), v1::HAND_OFF_STATUS_DECLINED);
  EXPECT_EQ(declined->declined_on().day(), 12);
  EXPECT_EQ(declined->decline_reason(), "no capacity");
  EXPECT_FALSE(declined->has_accepted_on());
}

TEST_F(HandOffViewTest, ListShowsOnlyTheHandOffsAddressedToThePartner) {
  HandOffPage a =
      projection_.List("org-a", v1::HAND_OFF_STATUS_UNSPECIFIED, "", 50);
  EXPECT_EQ(Projects(a), (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_TRUE(a.last_key.empty());
  HandOffPage b =
      projection_.List("org-b", v1::HAND_OFF_STATUS_UNSPECIFIED, "", 50);
  EXPECT_EQ(Projects(b), (std::vector<std::string>{"app-3"}));
  EXPECT_TRUE(projection_.List("org-c", v1::HAND_OFF_STATUS_UNSPECIFIED, "", 50)
                  .handoffs.empty());
  // A prefix of another organisation's id is another organisation.
  EXPECT_TRUE(projection_.List("org", v1::HAND_OFF_STATUS_UNSPECIFIED, "", 50)
                  .handoffs.empty());
}

TEST_F(HandOffViewTest, ListFiltersByStatus) {
  EXPECT_EQ(
      Projects(projection_.List("org-a", v1::HAND_OFF_STATUS_DECLINED, "", 50)),
      (std::vector<std::string>{"app-2"}));
  EXPECT_EQ(
      Projects(projection_.List("org-a", v1::HAND_OFF_STATUS_ACCEPTED, "", 50)),
      (std::vector<std::string>{"app-1"}));
  EXPECT_TRUE(projection_.List("org-a", v1::HAND_OFF_STATUS_PROPOSED, "", 50)
                  .handoffs.empty());
  EXPECT_EQ(
      Projects(projection_.List("org-b", v1::HAND_OFF_STATUS_PROPOSED, "", 50)),
      (std::vector<std::string>{"app-3"}));
}

TEST_F(HandOffViewTest, PagesCoverEveryHandOffOnceInOrder) {
  for (int i = 4; i <= 8; ++i) {
    feed_.Give("app-" + std::to_string(i), Proposed("h1", "org-a"));
  }
  // org-a: app-1, app-2, app-4 .. app-8 (7 hand-offs).
  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    HandOffPage page =
        projection_.List("org-a", v1::HAND_OFF_STATUS_UNSPECIFIED, after, 3);
    EXPECT_LE(page.handoffs.size(), 3u);
    for (const std::string& id : Projects(page)) seen.push_back(id);
    after = page.last_key;
    ++pages;
  } while (!after.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"app-1", "app-2", "app-4", "app-5",
                                            "app-6", "app-7", "app-8"}));

  // A status filter pages over the matching hand-offs only; an exact
  // multiple of the page size ends without a further token.
  HandOffPage first =
      projection_.List("org-a", v1::HAND_OFF_STATUS_PROPOSED, "", 5);
  EXPECT_EQ(first.handoffs.size(), 5u);
  EXPECT_TRUE(first.last_key.empty());
  HandOffPage two =
      projection_.List("org-a", v1::HAND_OFF_STATUS_PROPOSED, "", 4);
  ASSERT_FALSE(two.last_key.empty());
  HandOffPage rest =
      projection_.List("org-a", v1::HAND_OFF_STATUS_PROPOSED, two.last_key, 4);
  EXPECT_EQ(Projects(rest), (std::vector<std::string>{"app-8"}));
  EXPECT_TRUE(rest.last_key.empty());
}

TEST_F(HandOffViewTest, UnknownHandOffsAreNotFoundAndAnswersToThemIgnored) {
  EXPECT_FALSE(projection_.Get("app-9", "h1").has_value());
  EXPECT_FALSE(projection_.Get("app-1", "h2").has_value());
  EXPECT_FALSE(projection_.Get("app-9", "").has_value());
  feed_.Give("app-9", Accepted("h1", "org-a"));
  EXPECT_FALSE(projection_.Get("app-9", "h1").has_value());
  EXPECT_EQ(projection_.size(), 3u);
}

TEST_F(HandOffViewTest, EmptyHandOffIdReadsTheProjectsLatestProposal) {
  feed_.Give("app-2", Proposed("h0", "org-b"));  // after h1 was declined
  auto latest = projection_.Get("app-2", "");
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->handoff_id(), "h0");
  EXPECT_EQ(latest->partner_organisation_id(), "org-b");
  auto only = projection_.Get("app-1", "");
  ASSERT_TRUE(only.has_value());
  EXPECT_EQ(only->handoff_id(), "h1");
}

TEST_F(HandOffViewTest, RestoredStateAnswersTheSame) {
  std::vector<StateWrite> writes;
  projection_.TakeChanges(&writes);
  ASSERT_EQ(writes.size(), 3u);
  HandOffViewProjection restored;
  for (const StateWrite& write : writes) {
    ASSERT_TRUE(write.value.has_value());
    ASSERT_TRUE(restored.Restore(write.key, *write.value).ok());
  }
  HandOffPage a =
      restored.List("org-a", v1::HAND_OFF_STATUS_UNSPECIFIED, "", 50);
  EXPECT_EQ(Projects(a), (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      *restored.Get("app-2", "h1"), *projection_.Get("app-2", "h1")));
  // Nothing changed since: no writes.
  writes.clear();
  projection_.TakeChanges(&writes);
  EXPECT_TRUE(writes.empty());
  // A view stored under another hand-off's key is refused.
  EXPECT_FALSE(restored.Restore("wrong-key", std::string("\x0a\x01x", 3)).ok());
}

TEST(HandOffKeyTest, KeysRoundTripAndGarbageIsRefused) {
  auto parsed = HandOffViewProjection::ParseKey(
      HandOffViewProjection::Key("app-1", "h-2"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->first, "app-1");
  EXPECT_EQ(parsed->second, "h-2");
  EXPECT_FALSE(HandOffViewProjection::ParseKey("no separator").ok());
}

}  // namespace
}  // namespace coopcraft::projections
