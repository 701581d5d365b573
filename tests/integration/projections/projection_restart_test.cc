// coopcraftd killed with SIGKILL while its projections catch up on a large
// log: after a restart every project view equals a rebuild from the log,
// so nothing was lost or counted twice.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "coopcraft/v1/query_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

namespace v1 = ::coopcraft::v1;

// Writes a generated history straight into the data directory's log (the
// server is not running) and returns the views a rebuild gives.
std::vector<v1::ProjectView> WriteHistoryAndRebuild(const std::string& dir,
                                                    uint64_t* head) {
  std::filesystem::create_directories(dir);
  auto log = storage::RocksDbEventLog::Open({.path = dir + "/log"});
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return {};
  std::vector<HistoryAppend> history =
      GenerateProgrammeHistory({.seed = 2026,
                                .projects = 400,
                                .events_per_project = 60,
                                .max_events_per_append = 32});
  // Four writers share fsyncs through group commit; each project's events
  // stay in order because a project belongs to one writer.
  std::vector<std::thread> writers;
  for (size_t w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (size_t i = w; i < history.size(); ++i) {
        if (std::hash<std::string>()(history[i].stream) % 4 != w) continue;
        auto result =
            (*log)->Append(history[i].stream, storage::ExpectedRevision::Any(),
                           std::move(history[i].events));
        EXPECT_TRUE(result.ok()) << result.status();
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  *head = (*log)->HeadPosition();
  projections::ProjectViewProjection rebuilt;
  auto scanned = (*log)->ScanAll(
      {.from_position = 1, .max_count = *head, .max_scan = *head},
      [&](const v1::EventRecord& record) {
        projections::ApplyRecord(record, rebuilt);
        return absl::OkStatus();
      });
  EXPECT_TRUE(scanned.ok()) << scanned.status();
  v1::Date today;
  today.set_year(2026);
  today.set_month(1);
  today.set_day(1);
  return rebuilt.List({}, "", 1 << 30, today).projects;
}

// Every project through ListProjects, once the server applied `head`.
std::vector<v1::ProjectView> ListAll(ServerProcess& server, uint64_t head) {
  auto stub = v1::QueryService::NewStub(server.Channel());
  std::vector<v1::ProjectView> views;
  std::string token;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    v1::ListProjectsRequest request;
    request.set_page_size(500);
    request.set_page_token(token);
    request.set_min_position(head);
    v1::ListProjectsResponse response;
    grpc::Status status = stub->ListProjects(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (v1::ProjectView& view : *response.mutable_projects()) {
      views.push_back(std::move(view));
    }
    token = response.next_page_token();
  } while (!token.empty());
  return views;
}

TEST(ProjectionRestartTest, KilledDuringCatchUpRestartsToTheRebuiltViews) {
  TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  uint64_t head = 0;
  std::vector<v1::ProjectView> expected =
      WriteHistoryAndRebuild(data_dir, &head);
  ASSERT_GE(head, 20000u);
  for (int round = 0; round < 3; ++round) {
    auto server = ServerProcess::Start({.data_dir = data_dir});
    ASSERT_TRUE(server.ok()) << server.status();
    absl::SleepFor(absl::Milliseconds(50 * round));
    ExitInfo killed = (*server)->Stop(SIGKILL);
    ASSERT_EQ(killed.signal, SIGKILL);
  }
  auto server = ServerProcess::Start({.data_dir = data_dir});
  ASSERT_TRUE(server.ok()) << server.status();
  std::vector<v1::ProjectView> actual = ListAll(**server, head);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    // Days left and flags depend on the day of the query, not on the log.
    actual[i].mutable_contract()->clear_days_left();
    actual[i].clear_risk_flags();
    expected[i].mutable_contract()->clear_days_left();
    expected[i].clear_risk_flags();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(actual[i],
                                                                   expected[i]))
        << actual[i].project_id();
  }
}

}  // namespace
}  // namespace coopcraft::testing
