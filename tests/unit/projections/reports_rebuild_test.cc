// The report projections folded incrementally through the engine, in small
// batches while the log grows, end in the same state as a rebuild from
// zero, over a generated history of calls, applications, cohorts and
// projects of at least 10,000 events.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/cohort_view_projection.h"
#include "services/projections/funder_report_projection.h"
#include "services/projections/gantt_projection.h"
#include "services/projections/projection_engine.h"
#include "storage/memory_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/unit/projections/report_test_events.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::AppendHistory;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::GenerateProgrammeHistory;
using ::coopcraft::testing::HistoryAppend;
using ::coopcraft::testing::HistoryOptions;
using ::google::protobuf::util::MessageDifferencer;

const absl::Duration kPatience = absl::Seconds(60);
constexpr HistoryOptions kOptions{.seed = 7,
                                  .projects = 200,
                                  .events_per_project = 50,
                                  .max_events_per_append = 3,
                                  .include_selection = true};

struct Reports {
  CohortViewProjection cohorts;
  GanttProjection gantts;
  FunderReportProjection funder;
  std::vector<Projection*> all() { return {&cohorts, &gantts, &funder}; }
};

TEST(ReportsRebuildTest, GeneratedHistoryHasEveryKindOfStream) {
  std::vector<HistoryAppend> history = GenerateProgrammeHistory(kOptions);
  int calls = 0, applications = 0, cohorts = 0, projects = 0;
  for (const HistoryAppend& append : history) {
    if (absl::StartsWith(append.stream, "call-")) ++calls;
    if (absl::StartsWith(append.stream, "application-")) ++applications;
    if (absl::StartsWith(append.stream, "cohort-")) ++cohorts;
    if (absl::StartsWith(append.stream, "project-")) ++projects;
  }
  EXPECT_GT(calls, 0);
  EXPECT_GT(applications, 0);
  EXPECT_GT(cohorts, 0);
  EXPECT_GT(projects, 0);
  // Deterministic for a seed.
  std::vector<HistoryAppend> again = GenerateProgrammeHistory(kOptions);
  ASSERT_EQ(again.size(), history.size());
  for (size_t i = 0; i < history.size(); ++i) {
    ASSERT_EQ(again[i].stream, history[i].stream);
    ASSERT_EQ(again[i].events.size(), history[i].events.size());
    for (size_t j = 0; j < history[i].events.size(); ++j) {
      ASSERT_EQ(again[i].events[j].payload, history[i].events[j].payload);
    }
  }
}

TEST(ReportsRebuildTest, IncrementalStateEqualsRebuildOver10000Events) {
  std::vector<HistoryAppend> history = GenerateProgrammeHistory(kOptions);
  storage::MemoryEventLog log;
  MemoryProjectionStore store;
  Reports incremental;
  auto engine = ProjectionEngine::Start(&log, &store, incremental.all(),
                                        {.batch_size = 16});
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::vector<HistoryAppend> step;
  for (HistoryAppend& append : history) {
    step.push_back(std::move(append));
    if (step.size() == 61) {
      ASSERT_TRUE(AppendHistory(log, std::exchange(step, {})).ok());
    }
  }
  ASSERT_TRUE(AppendHistory(log, std::move(step)).ok());
  ASSERT_GE(log.HeadPosition(), 10000u);
  ASSERT_TRUE(
      (*engine)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());

  MemoryProjectionStore fresh_store;
  Reports rebuilt;
  auto rebuild = ProjectionEngine::Start(&log, &fresh_store, rebuilt.all(),
                                         {.batch_size = 4096});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(
      (*rebuild)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());

  int applied = 0;
  for (int k = 0; k < 5; ++k) {
    const std::string call_id = absl::StrCat("call-", k);
    auto left = incremental.cohorts.Get(call_id);
    auto right = rebuilt.cohorts.Get(call_id);
    ASSERT_TRUE(left.has_value() && right.has_value()) << call_id;
    EXPECT_TRUE(MessageDifferencer::Equals(*left, *right)) << call_id;
    EXPECT_FALSE(left->meetings().empty());
    applied += left->funnel().applied();
  }
  EXPECT_EQ(applied,
            static_cast<int>(kOptions.projects + kOptions.projects / 2));
  for (size_t i = 0; i < kOptions.projects; ++i) {
    const std::string id = absl::StrCat("app-", i);
    auto left = incremental.gantts.Get(id);
    auto right = rebuilt.gantts.Get(id);
    ASSERT_TRUE(left.has_value() && right.has_value()) << id;
    EXPECT_TRUE(MessageDifferencer::Equals(*left, *right)) << id;
  }
  for (int year = 2026; year <= 2028; ++year) {
    for (const char* cpas : {"", "cpas-3"}) {
      const v1::FunderReport left =
          incremental.funder.Report(Day(year, 1, 1), Day(year, 6, 30), cpas);
      const v1::FunderReport right =
          rebuilt.funder.Report(Day(year, 1, 1), Day(year, 6, 30), cpas);
      EXPECT_TRUE(MessageDifferencer::Equals(left, right)) << year << cpas;
    }
  }
  EXPECT_GT(incremental.funder.Report(Day(2026, 1, 1), Day(2026, 12, 31), "")
                .participants()
                .count(),
            0);
  // A restart from the incremental store restores the same state.
  (*engine)->Stop();
  Reports restarted;
  auto resumed = ProjectionEngine::Start(&log, &store, restarted.all());
  ASSERT_TRUE(resumed.ok());
  ASSERT_TRUE(
      (*resumed)->WaitUntil(log.HeadPosition(), absl::Now() + kPatience).ok());
  auto left = restarted.cohorts.Get("call-0");
  auto right = rebuilt.cohorts.Get("call-0");
  ASSERT_TRUE(left.has_value() && right.has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(*left, *right));
}

}  // namespace
}  // namespace coopcraft::projections
