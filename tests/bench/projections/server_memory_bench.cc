// server_memory_bench: coopcraftd's peak memory and catch-up time for the
// projections' benchmark data set. It writes the generated 1,000,000-event
// history (10,000 projects, their selection and cohort streams) into a
// fresh data directory, starts the coopcraftd built beside it on
// 127.0.0.1:0, waits until every projection has folded the whole log (a
// ListProjects with min_position = head), then reads the process's peak
// resident set (VmHWM) and its current one (VmRSS) from /proc.
//
//   server_memory_bench [--projects=10000] [--events_per_project=80]
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "coopcraft/v1/query_service.grpc.pb.h"
#include "services/projections/rocksdb_projection_store.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/programme_history.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

ABSL_FLAG(int, projects, 10000, "projects in the generated history");
ABSL_FLAG(int, events_per_project, 80, "events per project, on average");

namespace {

namespace v1 = ::coopcraft::v1;

// "VmHWM:   123456 kB" -> 123456; -1 when absent.
long ProcStatusKib(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, field + ":")) {
      return std::stol(line.substr(field.size() + 1));
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  coopcraft::testing::TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  uint64_t head = 0;
  std::filesystem::create_directories(data_dir);
  {
    auto log = coopcraft::storage::RocksDbEventLog::Open(
        {.path = data_dir + "/log",
         .extra_column_families = {
             coopcraft::projections::kProjectionColumnFamily}});
    if (!log.ok()) {
      std::fprintf(stderr, "open: %s\n", log.status().ToString().c_str());
      return 1;
    }
    const absl::Time start = absl::Now();
    absl::Status written = coopcraft::testing::AppendHistory(
        **log,
        coopcraft::testing::GenerateProgrammeHistory(
            {.seed = 1,
             .projects = static_cast<size_t>(absl::GetFlag(FLAGS_projects)),
             .events_per_project =
                 static_cast<size_t>(absl::GetFlag(FLAGS_events_per_project)),
             .max_events_per_append = 32,
             .include_selection = true}));
    if (!written.ok()) {
      std::fprintf(stderr, "append: %s\n", written.ToString().c_str());
      return 1;
    }
    head = (*log)->HeadPosition();
    std::printf("history: %llu events written in %.1f s\n",
                static_cast<unsigned long long>(head),
                absl::ToDoubleSeconds(absl::Now() - start));
  }

  const absl::Time start = absl::Now();
  auto server = coopcraft::testing::ServerProcess::Start(
      {.data_dir = data_dir, .startup_timeout = absl::Minutes(5)});
  if (!server.ok()) {
    std::fprintf(stderr, "coopcraftd: %s\n",
                 server.status().ToString().c_str());
    return 1;
  }
  auto queries = v1::QueryService::NewStub((*server)->Channel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(20)));
  v1::ListProjectsRequest request;
  request.set_page_size(1);
  request.set_min_position(head);
  v1::ListProjectsResponse response;
  grpc::Status status = queries->ListProjects(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "ListProjects: %s\n", status.error_message().c_str());
    return 1;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const pid_t pid = (*server)->pid();
  std::printf(
      "coopcraftd: start + catch-up of every projection over %llu events: "
      "%.1f s (%.0f events/s)\n",
      static_cast<unsigned long long>(head), seconds,
      static_cast<double>(head) / seconds);
  std::printf("coopcraftd: peak RSS (VmHWM) %.1f MiB, RSS now %.1f MiB\n",
              ProcStatusKib(pid, "VmHWM") / 1024.0,
              ProcStatusKib(pid, "VmRSS") / 1024.0);
  (*server)->Stop(SIGTERM);
  return 0;
}
