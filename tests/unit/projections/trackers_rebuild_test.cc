// The four tracker projections over a generated programme history of more
// than 10,000 events: the state built incrementally through the engine (in
// small batches, with a restart halfway) equals a rebuild from zero, key by
// key and query by query.
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/app/event_envelope.h"
#include "services/projections/communication_tracker_projection.h"
#include "services/projections/funding_tracker_projection.h"
#include "services/projections/handoff_view_projection.h"
#include "services/projections/partner_tracker_projection.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;
using ::coopcraft::testing::HistoryAppend;
using ::google::protobuf::util::MessageDifferencer;

const absl::Duration kPatience = absl::Seconds(60);
constexpr size_t kProjects = 200;
const char* const kPartners[] = {"job-yourself", "coop-smart", "coop-bees"};

v1::Date Today() {
  v1::Date date;
  date.set_year(2026);
  date.set_month(6);
  date.set_day(1);
  return date;
}

// Gives the generated history what the trackers look at beyond it:
// partnerships agreed, refused applications, hand-offs to several
// organisations (with their answers addressed to the same one).
void Enrich(std::vector<HistoryAppend>& history) {
  std::mt19937_64 random(99);
  for (HistoryAppend& append : history) {
    std::vector<storage::NewEvent> events;
    for (storage::NewEvent& event : append.events) {
      v1::EventRecord record;
      record.set_type(event.type);
      record.set_payload(event.payload);
      v1::ProjectEvent project_event;
      if (!app::UnpackEnvelope(record, &project_event).ok()) {
        events.push_back(std::move(event));
        continue;
      }
      const size_t index = std::hash<std::string>()(append.stream) % 3;
      std::vector<v1::ProjectEvent> out = {project_event};
      switch (project_event.event_case()) {
        case v1::ProjectEvent::kPartnerContacted: {
          auto& contacted = *out[0].mutable_partner_contacted();
          // Few partners, so that projects share them.
          contacted.set_partner_id(absl::StrCat("partner-", random() % 40));
          contacted.set_organisation_name(
              absl::StrCat("Organisation ", contacted.partner_id()));
          if (random() % 3 == 0) {
            auto& agreed = *out.emplace_back().mutable_partnership_agreed();
            agreed.set_project_id(contacted.project_id());
            agreed.set_partner_id(contacted.partner_id());
            agreed.set_organisation_name(contacted.organisation_name());
            *agreed.mutable_agreed_on() = contacted.contacted_on();
          }
          break;
        }
        case v1::ProjectEvent::kFundingApplicationGranted:
          if (random() % 2 == 0) {
            const auto granted = project_event.funding_application_granted();
            auto& refused = *out[0].mutable_funding_application_refused();
            refused.set_project_id(granted.project_id());
            refused.set_funding_application_id(
                granted.funding_application_id());
          }
          break;
        case v1::ProjectEvent::kHandOffProposed:
          out[0].mutable_hand_off_proposed()->set_partner_organisation_id(
              kPartners[index]);
          break;
        case v1::ProjectEvent::kHandOffAccepted:
          out[0].mutable_hand_off_accepted()->set_partner_organisation_id(
              kPartners[index]);
          break;
        case v1::ProjectEvent::kHandOffDeclined:
          out[0].mutable_hand_off_declined()->set_partner_organisation_id(
              kPartners[index]);
          out[0].mutable_hand_off_declined()->set_reason("no capacity");
          break;
        default:
          break;
      }
      for (const v1::ProjectEvent& changed : out) {
        auto packed = app::PackEnvelope(changed);
        if (!packed.ok()) continue;
        events.push_back({.type = std::move(packed->type),
                          .payload = std::move(packed->payload)});
      }
    }
    append.events = std::move(events);
  }
}

// The four trackers as one set.
struct Trackers {
  FundingTrackerProjection funding;
  PartnerTrackerProjection partners;
  CommunicationTrackerProjection communication;
  HandOffViewProjection handoffs;

  std::vector<Projection*> all() {
    return {&funding, &partners, &communication, &handoffs};
  }
};

std::map<std::string, std::string> Stored(const MemoryProjectionStore& store,
                                          std::string_view name) {
  std::map<std::string, std::string> state;
  auto checkpoint =
      store.Load(name, [&](std::string_view key, std::string_view value) {
        state.emplace(std::string(key), std::string(value));
        return absl::OkStatus();
      });
  EXPECT_TRUE(checkpoint.ok());
  return state;
}

std::vector<v1::HandOffView> AllHandOffs(const HandOffViewProjection& view,
                                         const std::string& partner) {
  std::vector<v1::HandOffView> all;
  std::string after;
  do {
    HandOffPage page =
        view.List(partner, v1::HAND_OFF_STATUS_UNSPECIFIED, after, 7);
    for (v1::HandOffView& handoff : page.handoffs) {
      all.push_back(std::move(handoff));
    }
    after = page.last_key;
  } while (!after.empty());
  return all;
}

void ExpectSameAnswers(Trackers& a, Trackers& b) {
  EXPECT_TRUE(MessageDifferencer::Equals(a.funding.Programme(Today()),
                                         b.funding.Programme(Today())));
  EXPECT_TRUE(
      MessageDifferencer::Equals(a.partners.Network(), b.partners.Network()));
  EXPECT_TRUE(MessageDifferencer::Equals(a.communication.Programme(),
                                         b.communication.Programme()));
  for (size_t i = 0; i < kProjects; ++i) {
    const std::string id = absl::StrCat("app-", i);
    auto fa = a.funding.Get(id, Today());
    auto fb = b.funding.Get(id, Today());
    ASSERT_TRUE(fa.has_value() && fb.has_value()) << id;
    EXPECT_TRUE(MessageDifferencer::Equals(*fa, *fb)) << id;
    EXPECT_TRUE(
        MessageDifferencer::Equals(*a.partners.Get(id), *b.partners.Get(id)))
        << id;
    EXPECT_TRUE(MessageDifferencer::Equals(*a.communication.Get(id),
                                           *b.communication.Get(id)))
        << id;
    auto ha = a.handoffs.Get(id, "");
    auto hb = b.handoffs.Get(id, "");
    ASSERT_EQ(ha.has_value(), hb.has_value()) << id;
    if (ha.has_value()) {
      EXPECT_TRUE(MessageDifferencer::Equals(*ha, *hb)) << id;
    }
  }
  size_t handoffs = 0;
  for (const char* partner : kPartners) {
    std::vector<v1::HandOffView> left = AllHandOffs(a.handoffs, partner);
    std::vector<v1::HandOffView> right = AllHandOffs(b.handoffs, partner);
    ASSERT_EQ(left.size(), right.size()) << partner;
    for (size_t i = 0; i < left.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(left[i], right[i]));
    }
    handoffs += left.size();
  }
  EXPECT_EQ(handoffs, a.handoffs.size());
}

TEST(TrackersRebuildTest, IncrementalWithRestartEqualsRebuildOver10000Events) {
  std::vector<HistoryAppend> history = GenerateProgrammeHistory(
      {.seed = 42, .projects = kProjects, .events_per_project = 50});
  Enrich(history);
  storage::MemoryEventLog log;
  MemoryProjectionStore store;
  const size_t half = history.size() / 2;

  auto append_in_steps = [&](size_t from, size_t to) {
    std::vector<HistoryAppend> step;
    for (size_t i = from; i < to; ++i) {
      step.push_back(std::move(history[i]));
      if (step.size() == 97) {
        ASSERT_TRUE(AppendHistory(log, std::exchange(step, {})).ok());
      }
    }
    ASSERT_TRUE(AppendHistory(log, std::move(step)).ok());
  };

  {
    // The first half, folded while it is appended; then a stop.
    Trackers before;
    auto engine =
        ProjectionEngine::Start(&log, &store, before.all(), {.batch_size = 64});
    ASSERT_TRUE(engine.ok()) << engine.status();
    append_in_steps(0, half);
    ASSERT_TRUE(
        (*engine)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());
  }
  // Fresh instances resume from the stored state and follow the rest.
  Trackers incremental;
  auto engine = ProjectionEngine::Start(&log, &store, incremental.all(),
                                        {.batch_size = 64});
  ASSERT_TRUE(engine.ok()) << engine.status();
  append_in_steps(half, history.size());
  ASSERT_GE(log.HeadPosition(), 10000u);
  ASSERT_TRUE(
      (*engine)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());

  MemoryProjectionStore fresh_store;
  Trackers rebuilt;
  auto rebuild = ProjectionEngine::Start(&log, &fresh_store, rebuilt.all(),
                                         {.batch_size = 4096});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(
      (*rebuild)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());
  // A live tail's last folds reach the store at the next commit interval,
  // or when the engine stops.
  (*engine)->Stop();
  (*rebuild)->Stop();

  for (Projection* projection : rebuilt.all()) {
    const auto left = Stored(store, projection->name());
    const auto right = Stored(fresh_store, projection->name());
    EXPECT_FALSE(right.empty()) << projection->name();
    EXPECT_TRUE(left == right) << projection->name();
  }
  EXPECT_EQ(rebuilt.funding.size(), kProjects);
  // The history exercises what the trackers show.
  const v1::FundingTracker funding = rebuilt.funding.Programme(Today());
  EXPECT_GT(funding.totals().granted(), 0);
  EXPECT_GT(funding.totals().refused(), 0);
  EXPECT_GT(rebuilt.partners.Network().partnerships_agreed(), 0);
  EXPECT_GT(rebuilt.communication.Programme().by_month_size(), 1);
  EXPECT_GT(rebuilt.handoffs.size(), 0u);
  ExpectSameAnswers(incremental, rebuilt);
}

}  // namespace
}  // namespace coopcraft::projections
