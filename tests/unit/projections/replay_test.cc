// Replay and the projection catalog: a projection replayed as of a
// position equals the state the live engine stored at that position, and
// every catalogued projection names a real message type for its state.
#include "services/projections/replay.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_catalog.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"

namespace coopcraft::projections {
namespace {

using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::GenerateProgrammeHistory;
using ::coopcraft::testing::HistoryAppend;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr absl::Duration kPatience = absl::Seconds(30);

// The stored state of `name` as key -> value.
std::map<std::string, std::string> Stored(const ProjectionStore& store,
                                          std::string_view name) {
  std::map<std::string, std::string> state;
  auto checkpoint =
      store.Load(name, [&](std::string_view key, std::string_view value) {
        state.emplace(std::string(key), std::string(value));
        return absl::OkStatus();
      });
  EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
  return state;
}

std::map<std::string, std::string> AsMap(std::vector<StateWrite> entries) {
  std::map<std::string, std::string> state;
  for (StateWrite& entry : entries) {
    state.emplace(std::move(entry.key), std::move(*entry.value));
  }
  return state;
}

void ExpectSameProjectViews(
    const std::map<std::string, std::string>& actual,
    const std::map<std::string, std::string>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [key, value] : expected) {
    auto it = actual.find(key);
    ASSERT_NE(it, actual.end()) << key;
    coopcraft::v1::ProjectView left, right;
    ASSERT_TRUE(left.ParseFromString(it->second));
    ASSERT_TRUE(right.ParseFromString(value));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(left, right))
        << key;
  }
}

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    history_ = GenerateProgrammeHistory(
        {.seed = 11, .projects = 40, .events_per_project = 30});
    ASSERT_GT(history_.size(), 200u);
  }

  // Appends history_[from, to).
  void AppendRange(size_t from, size_t to) {
    std::vector<HistoryAppend> part(
        std::make_move_iterator(history_.begin() + from),
        std::make_move_iterator(history_.begin() + to));
    ASSERT_TRUE(AppendHistory(log_, std::move(part)).ok());
  }

  std::vector<HistoryAppend> history_;
  storage::MemoryEventLog log_;
};

TEST_F(ReplayTest, AsOfAPositionEqualsWhatTheEngineStoredThere) {
  const size_t half = history_.size() / 2;
  AppendRange(0, half);
  const uint64_t position = log_.HeadPosition();
  MemoryProjectionStore store;
  ProjectViewProjection live;
  auto engine = ProjectionEngine::Start(&log_, &store, {&live});
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->WaitUntil(position, absl::Now() + kPatience).ok());
  (*engine)->Stop();
  const std::map<std::string, std::string> at_position =
      Stored(store, "project_view");
  ASSERT_FALSE(at_position.empty());

  AppendRange(half, history_.size());
  ASSERT_GT(log_.HeadPosition(), position);
  ProjectViewProjection fresh;
  auto replayed = Replay(log_, fresh, {.max_position = position}, "");
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->position, position);
  EXPECT_EQ(replayed->events, position);
  ExpectSameProjectViews(AsMap(std::move(replayed->entries)), at_position);
}

TEST_F(ReplayTest, KeyPrefixKeepsOnlyMatchingKeysInOrder) {
  AppendRange(0, history_.size());
  ProjectViewProjection all_views;
  auto all = Replay(log_, all_views, {}, "");
  ASSERT_TRUE(all.ok());
  ASSERT_FALSE(all->entries.empty());
  const std::string prefix = all->entries.front().key;
  size_t expected = 0;
  for (const StateWrite& entry : all->entries) {
    if (entry.key.rfind(prefix, 0) == 0) ++expected;
  }
  ProjectViewProjection some_views;
  auto some = Replay(log_, some_views, {}, prefix);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->entries.size(), expected);
  for (size_t i = 0; i < some->entries.size(); ++i) {
    EXPECT_EQ(some->entries[i].key.rfind(prefix, 0), 0u);
    if (i > 0) {
      EXPECT_LT(some->entries[i - 1].key, some->entries[i].key);
    }
  }
  EXPECT_EQ(some->position, log_.HeadPosition());
}

TEST_F(ReplayTest, StopsOnceTheCallerCancels) {
  AppendRange(0, history_.size());
  ASSERT_GT(log_.HeadPosition(), 1024u);
  // Asked before the first event, then after every 1,024: the second
  // question cancels, part-way through the log.
  int asked = 0;
  ProjectViewProjection views;
  auto replayed =
      Replay(log_, views, {}, "", [&asked] { return ++asked == 2; });
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kCancelled)
      << replayed.status();
  EXPECT_EQ(asked, 2);
  // Never cancelled: the whole log.
  auto whole = Replay(log_, views, {}, "", [] { return false; });
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->position, log_.HeadPosition());
}

TEST_F(ReplayTest, TimeBeforeTheFirstEventReplaysNothing) {
  AppendRange(0, history_.size());
  ProjectViewProjection views;
  auto replayed = Replay(log_, views,
                         {.max_recorded_at = absl::Now() - absl::Hours(1)}, "");
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->position, 0u);
  EXPECT_TRUE(replayed->entries.empty());

  auto until_now = Replay(
      log_, views, {.max_recorded_at = absl::Now() + absl::Hours(1)}, "");
  ASSERT_TRUE(until_now.ok());
  EXPECT_EQ(until_now->position, log_.HeadPosition());
}

TEST(ProjectionCatalogTest, UnknownNameIsNotFoundAndListsTheKnownOnes) {
  const ProjectionCatalog& catalog = ProjectionCatalog::Default();
  EXPECT_THAT(catalog.Names(), Contains("project_view"));
  auto missing = catalog.Create("no_such_view");
  ASSERT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_THAT(missing.status().message(), HasSubstr("project_view"));
}

// Every catalogued projection, replayed over a generated history, names a
// generated message type for each key, and each stored value parses as it.
TEST(ProjectionCatalogTest, EveryProjectionsStateIsATypedMessage) {
  storage::MemoryEventLog log;
  ASSERT_TRUE(
      AppendHistory(log, GenerateProgrammeHistory({.seed = 5,
                                                   .projects = 20,
                                                   .events_per_project = 40,
                                                   .include_selection = true}))
          .ok());
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  google::protobuf::DynamicMessageFactory factory;
  const ProjectionCatalog& catalog = ProjectionCatalog::Default();
  for (const std::string& name : catalog.Names()) {
    auto projection = catalog.Create(name);
    ASSERT_TRUE(projection.ok());
    EXPECT_EQ((*projection)->name(), name);
    auto replayed = Replay(log, **projection, {}, "");
    ASSERT_TRUE(replayed.ok()) << name << ": " << replayed.status();
    EXPECT_FALSE(replayed->entries.empty()) << name;
    for (const StateWrite& entry : replayed->entries) {
      const std::string type((*projection)->StateType(entry.key));
      const google::protobuf::Descriptor* descriptor =
          pool->FindMessageTypeByName(type);
      ASSERT_NE(descriptor, nullptr)
          << name << " key " << entry.key << " names unknown type " << type;
      std::unique_ptr<google::protobuf::Message> message(
          factory.GetPrototype(descriptor)->New());
      EXPECT_TRUE(message->ParseFromString(*entry.value))
          << name << " key " << entry.key << " is not a " << type;
    }
  }
}

}  // namespace
}  // namespace coopcraft::projections
