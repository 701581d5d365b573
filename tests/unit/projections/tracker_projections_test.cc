// Funding, partner and communication trackers: project events in, the
// expected views out.
#include <map>
#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/communication_tracker_projection.h"
#include "services/projections/funding_tracker_projection.h"
#include "services/projections/partner_tracker_projection.h"
#include "tests/unit/projections/tracker_test_support.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::Cents;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::EventFeed;
using ::google::protobuf::util::MessageDifferencer;

// Moves every stored key of `from` into a fresh projection `to`.
void CopyState(Projection& from, Projection& to) {
  std::vector<StateWrite> writes;
  from.TakeChanges(&writes);
  ASSERT_FALSE(writes.empty());
  for (const StateWrite& write : writes) {
    ASSERT_TRUE(write.value.has_value());
    ASSERT_TRUE(to.Restore(write.key, *write.value).ok());
  }
}

// --- Funding -------------------------------------------------------------

v1::ProjectEvent Submitted(const std::string& id, int64_t cents,
                           const v1::Date& deadline) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_funding_application_submitted();
  e.set_funding_application_id(id);
  e.set_funder("Fund " + id);
  e.set_call_name("Call " + id);
  *e.mutable_amount_requested() = Cents(cents);
  *e.mutable_deadline() = deadline;
  *e.mutable_submitted_on() = Day(2026, 4, 1);
  return event;
}

v1::ProjectEvent Granted(const std::string& id, int64_t requested,
                         int64_t granted) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_funding_application_granted();
  e.set_funding_application_id(id);
  *e.mutable_amount_requested() = Cents(requested);
  *e.mutable_amount_granted() = Cents(granted);
  *e.mutable_decided_on() = Day(2026, 5, 10);
  return event;
}

v1::ProjectEvent Refused(const std::string& id, int64_t requested) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_funding_application_refused();
  e.set_funding_application_id(id);
  *e.mutable_amount_requested() = Cents(requested);
  *e.mutable_decided_on() = Day(2026, 5, 11);
  e.set_reason("budget spent");
  return event;
}

class FundingTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feed_.Open("app-1");
    feed_.Give("app-1", Submitted("f1", 100000, Day(2026, 6, 1)));
    feed_.Give("app-1", Submitted("f2", 200000, Day(2026, 5, 31)));
    feed_.Give("app-1", Submitted("f3", 50000, Day(2026, 6, 15)));
    feed_.Give("app-1", Granted("f1", 100000, 60000));
    feed_.Give("app-1", Refused("f2", 200000));
  }

  FundingTrackerProjection projection_;
  EventFeed feed_{projection_};
};

TEST_F(FundingTrackerTest, CountsApplicationsByStatusAndSumsAmounts) {
  auto tracker = projection_.Get("app-1", Day(2026, 6, 1));
  ASSERT_TRUE(tracker.has_value());
  EXPECT_EQ(tracker->project_id(), "app-1");
  const v1::FundingTotals& totals = tracker->totals();
  EXPECT_EQ(totals.submitted(), 1);
  EXPECT_EQ(totals.granted(), 1);
  EXPECT_EQ(totals.refused(), 1);
  EXPECT_EQ(totals.amount_requested().cents(), 350000);
  EXPECT_EQ(totals.amount_pending().cents(), 50000);
  EXPECT_EQ(totals.amount_granted().cents(), 60000);
  ASSERT_EQ(tracker->applications_size(), 3);
  EXPECT_EQ(tracker->applications(0).funding_application_id(), "f1");
  EXPECT_EQ(tracker->applications(0).status(),
            v1::FUNDING_APPLICATION_STATUS_GRANTED);
  EXPECT_EQ(tracker->applications(0).amount_granted().cents(), 60000);
  EXPECT_EQ(tracker->applications(0).decided_on().day(), 10);
  EXPECT_EQ(tracker->applications(0).call_name(), "Call f1");
  EXPECT_EQ(tracker->applications(1).status(),
            v1::FUNDING_APPLICATION_STATUS_REFUSED);
  EXPECT_EQ(tracker->applications(1).amount_granted().cents(), 0);
  EXPECT_EQ(tracker->applications(2).status(),
            v1::FUNDING_APPLICATION_STATUS_SUBMITTED);
  EXPECT_FALSE(tracker->applications(2).has_decided_on());
}

TEST_F(FundingTrackerTest, UpcomingDeadlinesStartToday) {
  auto tracker = projection_.Get("app-1", Day(2026, 6, 1));
  ASSERT_TRUE(tracker.has_value());
  EXPECT_EQ(tracker->today().day(), 1);
  // f2's deadline was yesterday; f1's is today; f3's in two weeks.
  ASSERT_EQ(tracker->upcoming_deadlines_size(), 2);
  EXPECT_EQ(
      tracker->upcoming_deadlines(0).application().funding_application_id(),
      "f1");
  EXPECT_EQ(tracker->upcoming_deadlines(0).days_left(), 0);
  EXPECT_EQ(
      tracker->upcoming_deadlines(1).application().funding_application_id(),
      "f3");
  EXPECT_EQ(tracker->upcoming_deadlines(1).days_left(), 14);

  auto later = projection_.Get("app-1", Day(2026, 6, 2));
  ASSERT_TRUE(later.has_value());
  ASSERT_EQ(later->upcoming_deadlines_size(), 1);
  EXPECT_EQ(later->upcoming_deadlines(0).days_left(), 13);

  auto earlier = projection_.Get("app-1", Day(2026, 5, 31));
  ASSERT_TRUE(earlier.has_value());
  ASSERT_EQ(earlier->upcoming_deadlines_size(), 3);
  // Sorted by date, not by submission.
  EXPECT_EQ(
      earlier->upcoming_deadlines(0).application().funding_application_id(),
      "f2");
}

TEST_F(FundingTrackerTest, ProgrammeSumsProjectsAndSortsDeadlinesAcrossThem) {
  feed_.Open("app-2");
  feed_.Give("app-2", Submitted("g1", 70000, Day(2026, 6, 1)));
  feed_.Open("app-3");  // no application: no line
  v1::FundingTracker programme = projection_.Programme(Day(2026, 6, 1));
  EXPECT_TRUE(programme.project_id().empty());
  EXPECT_EQ(programme.totals().submitted(), 2);
  EXPECT_EQ(programme.totals().granted(), 1);
  EXPECT_EQ(programme.totals().refused(), 1);
  EXPECT_EQ(programme.totals().amount_requested().cents(), 420000);
  EXPECT_EQ(programme.totals().amount_pending().cents(), 120000);
  EXPECT_EQ(programme.totals().amount_granted().cents(), 60000);
  EXPECT_EQ(programme.applications_size(), 0);
  ASSERT_EQ(programme.projects_size(), 2);
  EXPECT_EQ(programme.projects(0).project_id(), "app-1");
  EXPECT_EQ(programme.projects(0).totals().amount_requested().cents(), 350000);
  EXPECT_EQ(programme.projects(1).project_id(), "app-2");
  ASSERT_EQ(programme.upcoming_deadlines_size(), 3);
  // Same day: by project id.
  EXPECT_EQ(programme.upcoming_deadlines(0).application().project_id(),
            "app-1");
  EXPECT_EQ(programme.upcoming_deadlines(1).application().project_id(),
            "app-2");
  EXPECT_EQ(programme.upcoming_deadlines(2).days_left(), 14);
}

TEST_F(FundingTrackerTest,
       UnknownProjectIsNotFoundAndUnopenedEventsAreIgnored) {
  EXPECT_FALSE(projection_.Get("app-9", Day(2026, 6, 1)).has_value());
  feed_.Give("app-9", Submitted("x", 1, Day(2026, 6, 1)));
  EXPECT_FALSE(projection_.Get("app-9", Day(2026, 6, 1)).has_value());
  feed_.Open("app-8");
  auto empty = projection_.Get("app-8", Day(2026, 6, 1));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->applications_size(), 0);
  EXPECT_EQ(empty->totals().amount_requested().cents(), 0);
}

TEST_F(FundingTrackerTest, RestoredStateAnswersTheSame) {
  FundingTrackerProjection restored;
  CopyState(projection_, restored);
  auto a = projection_.Get("app-1", Day(2026, 6, 1));
  auto b = restored.Get("app-1", Day(2026, 6, 1));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*a, *b));
  EXPECT_EQ(restored.StateType("app-1"), "coopcraft.v1.FundingTracker");
  EXPECT_FALSE(restored.Restore("app-1", "\xff\xff not a proto").ok());
}

// --- Partners ------------------------------------------------------------

v1::ProjectEvent Contacted(const std::string& partner, int day) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_partner_contacted();
  e.set_partner_id(partner);
  e.set_organisation_name("Org " + partner);
  *e.mutable_contacted_on() = Day(2026, 4, day);
  e.set_purpose("premises");
  return event;
}

v1::ProjectEvent Agreed(const std::string& partner, int day) {
  v1::ProjectEvent event;
  auto& e = *event.mutable_partnership_agreed();
  e.set_partner_id(partner);
  e.set_organisation_name("Org " + partner);
  *e.mutable_agreed_on() = Day(2026, 5, day);
  e.set_terms("a room on Fridays");
  return event;
}

std::vector<std::string> Ids(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return std::vector<std::string>(ids.begin(), ids.end());
}

class PartnerTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feed_.Open("app-1");
    feed_.Open("app-2");
    feed_.Open("app-3");
    feed_.Give("app-1", Contacted("p1", 1));
    feed_.Give("app-1", Contacted("p2", 2));
    feed_.Give("app-3", Contacted("p2", 3));
    feed_.Give("app-2", Contacted("p1", 4));
    feed_.Give("app-1", Agreed("p1", 5));
    feed_.Give("app-2", Agreed("p1", 6));
    feed_.Give("app-1", Contacted("p1", 9));  // a second contact
  }

  PartnerTrackerProjection projection_;
  EventFeed feed_{projection_};
};

TEST_F(PartnerTrackerTest, ProjectShowsItsPartnersAndTheirNetwork) {
  auto tracker = projection_.Get("app-1");
  ASSERT_TRUE(tracker.has_value());
  EXPECT_EQ(tracker->partners_contacted(), 2);
  EXPECT_EQ(tracker->partnerships_agreed(), 1);
  ASSERT_EQ(tracker->partners_size(), 2);
  const v1::PartnerRelation& p1 = tracker->partners(0);
  EXPECT_EQ(p1.partner_id(), "p1");
  EXPECT_EQ(p1.organisation_name(), "Org p1");
  EXPECT_EQ(p1.status(), v1::PARTNER_RELATION_STATUS_AGREED);
  EXPECT_EQ(p1.contacted_on().day(), 1);  // the first contact counts
  EXPECT_EQ(p1.agreed_on().day(), 5);
  EXPECT_EQ(p1.terms(), "a room on Fridays");
  EXPECT_EQ(tracker->partners(1).status(),
            v1::PARTNER_RELATION_STATUS_CONTACTED);
  EXPECT_FALSE(tracker->partners(1).has_agreed_on());
  ASSERT_EQ(tracker->organisations_size(), 2);
  EXPECT_EQ(tracker->organisations(0).partner_id(), "p1");
  EXPECT_EQ(Ids(tracker->organisations(0).contacted_by()),
            (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_EQ(Ids(tracker->organisations(0).agreed_with()),
            (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_EQ(Ids(tracker->organisations(1).contacted_by()),
            (std::vector<std::string>{"app-1", "app-3"}));
  EXPECT_TRUE(tracker->organisations(1).agreed_with().empty());
}

TEST_F(PartnerTrackerTest, NetworkListsEveryOrganisation) {
  feed_.Open("app-4");
  feed_.Give("app-4", Contacted("p0", 7));
  v1::PartnerTracker network = projection_.Network();
  EXPECT_TRUE(network.project_id().empty());
  EXPECT_EQ(network.partners_contacted(), 5);
  EXPECT_EQ(network.partnerships_agreed(), 2);
  EXPECT_EQ(network.partners_size(), 0);
  ASSERT_EQ(network.organisations_size(), 3);
  EXPECT_EQ(network.organisations(0).partner_id(), "p0");
  EXPECT_EQ(network.organisations(0).organisation_name(), "Org p0");
  EXPECT_EQ(Ids(network.organisations(0).contacted_by()),
            (std::vector<std::string>{"app-4"}));
  EXPECT_EQ(network.organisations(1).partner_id(), "p1");
  EXPECT_EQ(network.organisations(2).partner_id(), "p2");
}

TEST_F(PartnerTrackerTest, UnknownProjectAndRestore) {
  EXPECT_FALSE(projection_.Get("app-9").has_value());
  auto quiet = projection_.Get("app-3");
  ASSERT_TRUE(quiet.has_value());
  EXPECT_EQ(quiet->partners_contacted(), 1);
  PartnerTrackerProjection restored;
  CopyState(projection_, restored);
  EXPECT_TRUE(
      MessageDifferencer::Equals(projection_.Network(), restored.Network()));
  EXPECT_TRUE(MessageDifferencer::Equals(*projection_.Get("app-1"),
                                         *restored.Get("app-1")));
}

// --- Communication -------------------------------------------------------

v1::ProjectEvent Published(v1::CommunicationChannel channel,
                           const v1::Date& on) {
  static int next = 0;
  v1::ProjectEvent event;
  auto& e = *event.mutable_communication_published();
  e.set_publication_id("publication-" + std::to_string(++next));
  e.set_channel(channel);
  e.set_title("News");
  *e.mutable_published_on() = on;
  return event;
}

class CommunicationTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feed_.Open("app-1");
    feed_.Open("app-2");
    feed_.Open("app-3");
    feed_.Give("app-1", Published(v1::COMMUNICATION_CHANNEL_SOCIAL_NETWORK,
                                  Day(2026, 12, 31)));
    feed_.Give("app-1",
               Published(v1::COMMUNICATION_CHANNEL_WEBSITE, Day(2026, 3, 15)));
    feed_.Give("app-1",
               Published(v1::COMMUNICATION_CHANNEL_WEBSITE, Day(2026, 4, 2)));
    feed_.Give("app-1", Published(v1::COMMUNICATION_CHANNEL_NEWSLETTER,
                                  Day(2026, 3, 30)));
    feed_.Give("app-2",
               Published(v1::COMMUNICATION_CHANNEL_PRINT, Day(2027, 1, 1)));
  }

  CommunicationTrackerProjection projection_;
  EventFeed feed_{projection_};
};

TEST_F(CommunicationTrackerTest, CountsByChannelAndByMonth) {
  auto tracker = projection_.Get("app-1");
  ASSERT_TRUE(tracker.has_value());
  EXPECT_EQ(tracker->publications(), 4);
  ASSERT_EQ(tracker->by_channel_size(), 3);
  EXPECT_EQ(tracker->by_channel(0).channel(),
            v1::COMMUNICATION_CHANNEL_WEBSITE);
  EXPECT_EQ(tracker->by_channel(0).count(), 2);
  EXPECT_EQ(tracker->by_channel(1).channel(),
            v1::COMMUNICATION_CHANNEL_NEWSLETTER);
  EXPECT_EQ(tracker->by_channel(2).channel(),
            v1::COMMUNICATION_CHANNEL_SOCIAL_NETWORK);
  ASSERT_EQ(tracker->by_month_size(), 3);
  EXPECT_EQ(tracker->by_month(0).month(), "2026-03");
  EXPECT_EQ(tracker->by_month(0).count(), 2);
  ASSERT_EQ(tracker->by_month(0).by_channel_size(), 2);
  EXPECT_EQ(tracker->by_month(0).by_channel(0).channel(),
            v1::COMMUNICATION_CHANNEL_WEBSITE);
  EXPECT_EQ(tracker->by_month(0).by_channel(1).channel(),
            v1::COMMUNICATION_CHANNEL_NEWSLETTER);
  EXPECT_EQ(tracker->by_month(1).month(), "2026-04");
  EXPECT_EQ(tracker->by_month(2).month(), "2026-12");
  EXPECT_EQ(tracker->last_published_on().month(), 12);
  EXPECT_EQ(tracker->projects_size(), 0);
}

TEST_F(CommunicationTrackerTest, ProgrammeTotalsAcrossProjects) {
  v1::CommunicationTracker programme = projection_.Programme();
  EXPECT_EQ(programme.publications(), 5);
  ASSERT_EQ(programme.by_channel_size(), 4);
  EXPECT_EQ(programme.by_channel(3).channel(), v1::COMMUNICATION_CHANNEL_PRINT);
  ASSERT_EQ(programme.by_month_size(), 4);
  EXPECT_EQ(programme.by_month(3).month(), "2027-01");
  EXPECT_EQ(programme.last_published_on().year(), 2027);
  ASSERT_EQ(programme.projects_size(), 2);  // app-3 published nothing
  EXPECT_EQ(programme.projects(0).project_id(), "app-1");
  EXPECT_EQ(programme.projects(0).publications(), 4);
  EXPECT_EQ(programme.projects(1).publications(), 1);
}

TEST_F(CommunicationTrackerTest, UnknownProjectAndRestore) {
  EXPECT_FALSE(projection_.Get("app-9").has_value());
  auto quiet = projection_.Get("app-3");
  ASSERT_TRUE(quiet.has_value());
  EXPECT_EQ(quiet->publications(), 0);
  CommunicationTrackerProjection restored;
  CopyState(projection_, restored);
  EXPECT_TRUE(MessageDifferencer::Equals(projection_.Programme(),
                                         restored.Programme()));
}

}  // namespace
}  // namespace coopcraft::projections
