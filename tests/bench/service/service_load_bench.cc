// service_load_bench: a gRPC load generator for coopcraftd. It opens one
// project per client through the whole selection flow, then keeps each
// client issuing LogAction on its own project (one call in flight per
// client, each with its own request ids) for a fixed time, at each
// concurrency level asked for, and prints commands/s and latency
// percentiles. In the same run it measures the in-process reference: the
// durable append rate of storage::RocksDbEventLog with as many threads,
// each appending one event of the same payload size, so the cost of the
// service layers shows as a ratio; and as many clients calling
// GetServerInfo, which goes through the same transport and authentication
// but neither a worker nor the log, so gRPC's own share shows too.
//
//   service_load_bench [--server=host:port] [--clients=1,64] [--duration=10s]
//
// Without --server it starts its own coopcraftd (the one built beside it)
// on 127.0.0.1:0 with a temporary data directory.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/channel/bearer_channel.h"
#include "coopcraft/v1/project_events.pb.h"
#include "services/base/mutex_mode.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/programme_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

ABSL_FLAG(std::string, server, "",
          "coopcraftd to load (host:port); empty starts one on 127.0.0.1:0 "
          "with a temporary data directory");
ABSL_FLAG(std::string, clients, "1,64",
          "comma-separated concurrency levels: clients with one LogAction "
          "in flight each");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "measured time of each level");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "unmeasured load before each level");
ABSL_FLAG(int32_t, channels, 0,
          "gRPC channels (TCP connections) shared round-robin by the "
          "clients; 0 means one per client");
ABSL_FLAG(int32_t, hot_clients, 0,
          "of each level, how many clients log actions on one shared "
          "project instead of one each (a burst on one stream); their rows "
          "and the others' are then printed apart");
ABSL_FLAG(bool, rpc_reference, true,
          "also load GetServerInfo (authenticated, no worker, no write) at the "
          "highest level: the transport's share of a command");
ABSL_FLAG(int32_t, reference_threads, 64,
          "threads of the in-process RocksDbEventLog reference; 0 skips it");
ABSL_FLAG(absl::Duration, reference_duration, absl::Seconds(5),
          "measured time of the in-process reference");
ABSL_FLAG(int32_t, ratio_pairs, 0,
          "after the rest, this many alternating pairs of LogAction and "
          "GetServerInfo at the highest level, --pair_duration each, and "
          "the median of their ratios: a burst from the machine's "
          "neighbours then moves one pair, not the whole reference");
ABSL_FLAG(absl::Duration, pair_duration, absl::Seconds(3),
          "measured time of each half of a --ratio_pairs pair");
ABSL_FLAG(std::string, token_file, "",
          "bearer token for --server (e.g. its DATA_DIR/admin.token); the "
          "bench's own server's admin token otherwise");
ABSL_FLAG(std::string, request_ids, "v7",
          "request_id of each LogAction: v7 (time-ordered UUIDs, so the log "
          "indexes the derived event ids near its end) or v4 (random UUIDs, "
          "indexed at random places)");
ABSL_FLAG(int32_t, server_pid, 0,
          "pid of the --server process, to report its CPU time per command "
          "(known without this flag when the bench starts the server)");

namespace coopcraft::bench {
namespace {

using ::coopcraft::testing::ProgrammeClient;
namespace v1 = ::coopcraft::v1;

// Target of the issue on the 2-core machine.
constexpr double kTargetCommandsPerSecond = 20000;
constexpr double kTargetP99Millis = 10;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "service_load_bench: %s\n", message.c_str());
  std::exit(1);
}

// Latencies in microseconds, summarised.
struct Summary {
  uint64_t count = 0;
  uint64_t errors = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::string first_error;

  // CPU time per command (microseconds) of the server and of this
  // process; 0 when unknown.
  double server_cpu_us = 0;
  double client_cpu_us = 0;

  double per_second() const { return seconds > 0 ? count / seconds : 0; }
};

// User + system CPU seconds of process `pid` so far; 0 when unreadable.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(in, line);
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(close + 2), ' ', absl::SkipEmpty());
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) / sysconf(_SC_CLK_TCK);
}

// CPU seconds of the server (when its pid is known) and of this process.
struct CpuClock {
  explicit CpuClock(pid_t server) : server_pid(server) {}
  pid_t server_pid;
  double server = 0;
  double client = 0;
  void Read() {
    server = server_pid > 0 ? ProcessCpuSeconds(server_pid) : 0;
    client = ProcessCpuSeconds(getpid());
  }
};

Summary Summarise(std::vector<int64_t> micros, double seconds) {
  Summary summary;
  summary.count = micros.size();
  summary.seconds = seconds;
  if (micros.empty()) return summary;
  std::sort(micros.begin(), micros.end());
  auto at = [&](double quantile) {
    const size_t index = std::min(
        micros.size() - 1, static_cast<size_t>(quantile * micros.size()));
    return micros[index] / 1000.0;
  };
  summary.p50_ms = at(0.50);
  summary.p99_ms = at(0.99);
  summary.max_ms = micros.back() / 1000.0;
  return summary;
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address,
                                          const std::string& token) {
  grpc::ChannelArguments args;
  // A channel of its own connection: gRPC would otherwise share one
  // subchannel between channels to the same address.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // gRPC's minimal client stack: no retry, deadline or message-size filter
  // on our side. The bench shares the two cores with the server, so every
  // microsecond its own channel spends is taken from the server it
  // measures; real clients pay theirs on their own machines. The retry
  // filter alone keeps a copy of each request for a replay we never need.
  args.SetInt(GRPC_ARG_MINIMAL_STACK, 1);
  return clients::BearerChannel(address, token,
                                grpc::InsecureChannelCredentials(), args);
}

// Opens one call and `count` projects on it through the selection flow,
// from 8 threads. Returns the project ids.
std::vector<std::string> OpenProjects(const ProgrammeClient& client,
                                      int count) {
  // A fresh tag, so that --server may point at a server used before.
  const std::string tag = testing::NewRequestId().substr(0, 8);
  const std::string call_id = absl::StrCat("bench-", tag);
  if (auto opened = client.Call(testing::OpenCall(call_id)); !opened.ok()) {
    Die(absl::StrCat("OpenCall: ", opened.status().ToString()));
  }
  std::vector<std::string> projects;
  for (int i = 0; i < count; ++i) {
    projects.push_back(absl::StrCat("bench-", tag, "-", i));
  }
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        absl::Status status =
            testing::OpenProjectThroughSelection(client, call_id, projects[i]);
        if (!status.ok())
          Die(absl::StrCat(projects[i], ": ", status.ToString()));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return projects;
}

// One client: LogAction on its project (or GetServerInfo), the next call
// issued from the completion of the previous one (callback API), until told
// to stop.
class LoadClient {
 public:
  // What each call is.
  enum class Rpc {
    // ProjectService.LogAction on `project_id`: a durable command.
    kLogAction,
    // ServerInfoService.GetServerInfo: authenticated and answered on gRPC's
    // thread, with no worker and no write; the transport's own cost.
    kGetServerInfo,
  };

  LoadClient(const ProgrammeClient* client, Rpc rpc, std::string project_id,
             std::string action_prefix)
      : client_(client),
        rpc_(rpc),
        project_id_(std::move(project_id)),
        action_prefix_(std::move(action_prefix)) {}

  void Start() { Issue(); }
  // Calls that start after this are not recorded.
  void StopRecording() { recording_ = false; }
  void Stop() { stopping_ = true; }
  // Waits until the call in flight at Stop() has completed.
  void WaitStopped() { stopped_.WaitForNotification(); }
  void StartRecording() { recording_ = true; }

  std::vector<int64_t>& latencies() { return latencies_; }
  uint64_t errors() const { return errors_; }
  const std::string& first_error() const { return first_error_; }

 private:
  struct Call {
    grpc::ClientContext context;
    v1::LogActionRequest request;
    v1::LogActionResponse response;
    v1::GetServerInfoRequest info_request;
    v1::GetServerInfoResponse info_response;
    absl::Time started;
    bool recorded = false;
  };

  void Issue() {
    if (stopping_) {
      stopped_.Notify();
      return;
    }
    auto* call = new Call();
    call->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    call->recorded = recording_;
    auto on_done = [this, call](grpc::Status status) {
      const absl::Duration latency = absl::Now() - call->started;
      if (call->recorded) {
        if (status.ok()) {
          latencies_.push_back(absl::ToInt64Microseconds(latency));
        } else if (errors_++ == 0) {
          first_error_ =
              absl::StrCat(status.error_code(), " ", status.error_message());
        }
      }
      delete call;
      Issue();
    };
    if (rpc_ == Rpc::kGetServerInfo) {
      call->started = absl::Now();
      client_->server_info().async()->GetServerInfo(
          &call->context, &call->info_request, &call->info_response,
          std::move(on_done));
      return;
    }
    call->request = testing::LogAction(
        project_id_, absl::StrCat(action_prefix_, "-", sequence_++));
    if (time_ordered_ids_) {
      call->request.set_request_id(testing::NewTimeOrderedRequestId());
    }
    call->started = absl::Now();
    client_->project().async()->LogAction(&call->context, &call->request,
                                          &call->response, std::move(on_done));
  }

  const ProgrammeClient* const client_;
  const Rpc rpc_;
  const std::string project_id_;
  const std::string action_prefix_;
  const bool time_ordered_ids_ = absl::GetFlag(FLAGS_request_ids) == "v7";
  // Touched only by the chain of calls, one at a time.
  uint64_t sequence_ = 0;
  std::vector<int64_t> latencies_;
  uint64_t errors_ = 0;
  std::string first_error_;
  std::atomic<bool> recording_{false};
  std::atomic<bool> stopping_{false};
  absl::Notification stopped_;
};

// What one level measured: all its clients, and with --hot_clients those on
// the shared project and the others apart.
struct LevelSummary {
  Summary all;
  Summary hot;
  Summary others;
};

// The summary of clients [begin, end) of `load`.
Summary SummariseClients(const std::vector<std::unique_ptr<LoadClient>>& load,
                         size_t begin, size_t end, double seconds) {
  std::vector<int64_t> latencies;
  uint64_t errors = 0;
  std::string first_error;
  for (size_t i = begin; i < end; ++i) {
    latencies.insert(latencies.end(), load[i]->latencies().begin(),
                     load[i]->latencies().end());
    errors += load[i]->errors();
    if (first_error.empty()) first_error = load[i]->first_error();
  }
  Summary summary = Summarise(std::move(latencies), seconds);
  summary.errors = errors;
  summary.first_error = first_error;
  return summary;
}

LevelSummary RunLevel(
    const std::vector<std::unique_ptr<ProgrammeClient>>& clients,
    LoadClient::Rpc rpc, const std::vector<std::string>& projects, int level,
    const std::string& run_tag, pid_t server_pid, absl::Duration duration) {
  // The first `hot` clients share the first project.
  const int hot = std::min(level, absl::GetFlag(FLAGS_hot_clients));
  std::vector<std::unique_ptr<LoadClient>> load;
  for (int i = 0; i < level; ++i) {
    load.push_back(std::make_unique<LoadClient>(
        clients[i % clients.size()].get(), rpc, projects[i < hot ? 0 : i],
        absl::StrCat(run_tag, "-c", level, "-", i)));
  }
  for (auto& client : load) client->Start();
  absl::SleepFor(absl::GetFlag(FLAGS_warmup));
  CpuClock before(server_pid), after(server_pid);
  for (auto& client : load) client->StartRecording();
  const absl::Time start = absl::Now();
  before.Read();
  absl::SleepFor(duration);
  for (auto& client : load) client->StopRecording();
  after.Read();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (auto& client : load) client->Stop();
  for (auto& client : load) client->WaitStopped();

  LevelSummary result;
  result.all = SummariseClients(load, 0, load.size(), seconds);
  result.hot = SummariseClients(load, 0, hot, seconds);
  result.others = SummariseClients(load, hot, load.size(), seconds);
  Summary& summary = result.all;
  if (summary.count > 0) {
    const double per_command = 1e6 / summary.count;
    if (server_pid > 0) {
      summary.server_cpu_us = (after.server - before.server) * per_command;
    }
    summary.client_cpu_us = (after.client - before.client) * per_command;
  }
  return result;
}

// The payload the server stores for one of our LogAction calls.
std::string ActionLoggedPayload() {
  const v1::LogActionRequest request =
      testing::LogAction("bench-0000-00", "run-c64-00-123456");
  v1::ProjectEvent event;
  v1::ActionLogged* logged = event.mutable_action_logged();
  logged->set_project_id(request.project_id());
  logged->set_action_id(request.action_id());
  logged->set_line(request.line());
  *logged->mutable_occurred_on() = request.occurred_on();
  logged->set_title(request.title());
  logged->set_description(request.description());
  return event.SerializeAsString();
}

// `threads` threads, each appending one event at a time to a stream of its
// own with an exact expected revision, as the service does.
Summary RunReference(int threads, absl::Duration duration) {
  testing::TempDir dir;
  auto log = storage::RocksDbEventLog::Open({.path = dir.path() + "/log"});
  if (!log.ok()) Die(absl::StrCat("reference log: ", log.status().ToString()));
  const std::string payload = ActionLoggedPayload();
  std::atomic<bool> recording{false}, stopping{false};
  std::vector<std::vector<int64_t>> latencies(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string stream = absl::StrCat("project-bench-", t);
      std::optional<uint64_t> revision;
      while (!stopping) {
        std::vector<storage::NewEvent> events(1);
        events[0].type = "coopcraft.v1.ActionLogged";
        events[0].payload = payload;
        events[0].metadata.set_actor("ipv4:127.0.0.1:50000");
        const bool record = recording;
        const absl::Time started = absl::Now();
        auto appended = (*log)->Append(
            stream,
            revision ? storage::ExpectedRevision::Exact(*revision)
                     : storage::ExpectedRevision::NoStream(),
            std::move(events));
        if (!appended.ok()) Die(appended.status().ToString());
        revision = appended->next_revision - 1;
        if (record) {
          latencies[t].push_back(
              absl::ToInt64Microseconds(absl::Now() - started));
        }
      }
    });
  }
  absl::SleepFor(absl::GetFlag(FLAGS_warmup));
  CpuClock before(0), after(0);
  recording = true;
  const absl::Time start = absl::Now();
  before.Read();
  absl::SleepFor(duration);
  recording = false;
  after.Read();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  stopping = true;
  for (std::thread& worker : workers) worker.join();
  std::vector<int64_t> all;
  for (auto& each : latencies) all.insert(all.end(), each.begin(), each.end());
  Summary summary = Summarise(std::move(all), seconds);
  if (summary.count > 0) {
    summary.client_cpu_us =
        (after.client - before.client) * 1e6 / summary.count;
  }
  return summary;
}

void PrintRow(const std::string& what, int concurrency,
              const Summary& summary) {
  auto cpu = [](double micros) {
    return micros > 0 ? absl::StrFormat("%.0f", micros) : std::string("-");
  };
  std::printf(
      "%-34s %7d %11.0f %8.2f %8.2f %8.2f %7llu %8s %8s\n", what.c_str(),
      concurrency, summary.per_second(), summary.p50_ms, summary.p99_ms,
      summary.max_ms, static_cast<unsigned long long>(summary.errors),
      cpu(summary.server_cpu_us).c_str(), cpu(summary.client_cpu_us).c_str());
  if (!summary.first_error.empty()) {
    std::printf("  first error: %s\n", summary.first_error.c_str());
  }
  std::fflush(stdout);
}

int Main() {
  std::vector<int> levels;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_clients), ',', absl::SkipEmpty())) {
    int level = 0;
    if (!absl::SimpleAtoi(part, &level) || level < 1 || level > 4096) {
      Die("--clients must list numbers from 1 to 4096");
    }
    levels.push_back(level);
  }
  if (levels.empty()) Die("--clients is empty");
  if (absl::GetFlag(FLAGS_hot_clients) < 0) Die("--hot_clients must be >= 0");
  if (absl::GetFlag(FLAGS_request_ids) != "v7" &&
      absl::GetFlag(FLAGS_request_ids) != "v4") {
    Die("--request_ids must be v7 or v4");
  }
  const int max_level = *std::max_element(levels.begin(), levels.end());

  // Our own coopcraftd unless one was named.
  std::unique_ptr<testing::TempDir> data;
  std::unique_ptr<testing::ServerProcess> process;
  std::string address = absl::GetFlag(FLAGS_server);
  if (address.empty()) {
    data = std::make_unique<testing::TempDir>();
    auto started =
        testing::ServerProcess::Start({.data_dir = data->path() + "/data"});
    if (!started.ok()) Die(started.status().ToString());
    process = std::move(*started);
    address = process->address();
  }
  std::string token;
  if (process) {
    token = process->AdminToken();
  } else if (!absl::GetFlag(FLAGS_token_file).empty()) {
    auto read = clients::ReadTokenFile(absl::GetFlag(FLAGS_token_file));
    if (!read.ok()) Die(read.status().ToString());
    token = *std::move(read);
  }
  const pid_t server_pid =
      process ? process->pid() : absl::GetFlag(FLAGS_server_pid);
  const int channel_count = absl::GetFlag(FLAGS_channels) > 0
                                ? absl::GetFlag(FLAGS_channels)
                                : max_level;
  std::vector<std::unique_ptr<ProgrammeClient>> clients;
  for (int i = 0; i < channel_count; ++i) {
    clients.push_back(
        std::make_unique<ProgrammeClient>(NewChannel(address, token)));
  }

  std::printf("coopcraftd at %s%s; %d channel(s)\n", address.c_str(),
              process ? " (started by this bench)" : "", channel_count);
  const absl::Time setup_start = absl::Now();
  const std::vector<std::string> projects =
      OpenProjects(*clients[0], max_level);
  std::printf("opened %d projects through the selection flow in %.1f s\n\n",
              max_level, absl::ToDoubleSeconds(absl::Now() - setup_start));

  std::printf("%-34s %7s %11s %8s %8s %8s %7s %8s %8s\n", "", "clients",
              "per second", "p50 ms", "p99 ms", "max ms", "errors", "srv us",
              "bench us");
  const std::string run_tag = testing::NewRequestId().substr(0, 8);
  std::map<int, Summary> service;
  const int hot_clients = absl::GetFlag(FLAGS_hot_clients);
  for (int level : levels) {
    const LevelSummary measured =
        RunLevel(clients, LoadClient::Rpc::kLogAction, projects, level, run_tag,
                 server_pid, absl::GetFlag(FLAGS_duration));
    service[level] = measured.all;
    PrintRow("gRPC LogAction (commands)", level, measured.all);
    if (hot_clients > 0) {
      const int hot = std::min(level, hot_clients);
      PrintRow("  of which on one shared project", hot, measured.hot);
      PrintRow("  of which on a project each", level - hot, measured.others);
    }
  }

  const int reference_threads = absl::GetFlag(FLAGS_reference_threads);
  if (reference_threads > 0) {
    const Summary reference = RunReference(
        reference_threads, absl::GetFlag(FLAGS_reference_duration));
    PrintRow(absl::StrCat("in-process log Append (",
                          ActionLoggedPayload().size(), " B)"),
             reference_threads, reference);
    if (auto it = service.find(reference_threads);
        it != service.end() && reference.per_second() > 0) {
      std::printf("\nservice / in-process at %d: %.2f\n", reference_threads,
                  it->second.per_second() / reference.per_second());
    }
  }
  if (absl::GetFlag(FLAGS_rpc_reference)) {
    const Summary rpc_only =
        RunLevel(clients, LoadClient::Rpc::kGetServerInfo, projects, max_level,
                 run_tag, server_pid, absl::GetFlag(FLAGS_duration))
            .all;
    PrintRow("gRPC GetServerInfo (no write)", max_level, rpc_only);
    if (rpc_only.per_second() > 0) {
      std::printf("commands / GetServerInfo at %d: %.2f\n", max_level,
                  service[max_level].per_second() / rpc_only.per_second());
    }
  }
  if (auto it = service.find(64); it != service.end()) {
    const bool met = it->second.per_second() >= kTargetCommandsPerSecond &&
                     it->second.p99_ms <= kTargetP99Millis &&
                     it->second.errors == 0;
    std::printf(
        "target at 64 clients (>= %.0f commands/s, p99 <= %.0f ms): %s\n",
        kTargetCommandsPerSecond, kTargetP99Millis, met ? "met" : "MISSED");
  }
  const int pairs = absl::GetFlag(FLAGS_ratio_pairs);
  if (pairs > 0) {
    std::printf(
        "\n%d adjacent pairs at %d clients, %s each:\n", pairs, max_level,
        absl::FormatDuration(absl::GetFlag(FLAGS_pair_duration)).c_str());
    std::vector<double> ratios;
    for (int pair = 0; pair < pairs; ++pair) {
      const std::string tag = absl::StrCat(run_tag, "-p", pair);
      const Summary commands =
          RunLevel(clients, LoadClient::Rpc::kLogAction, projects, max_level,
                   tag, server_pid, absl::GetFlag(FLAGS_pair_duration))
              .all;
      const Summary rpc_only =
          RunLevel(clients, LoadClient::Rpc::kGetServerInfo, projects,
                   max_level, tag, server_pid,
                   absl::GetFlag(FLAGS_pair_duration))
              .all;
      PrintRow("  LogAction", max_level, commands);
      PrintRow("  GetServerInfo", max_level, rpc_only);
      if (rpc_only.per_second() > 0) {
        ratios.push_back(commands.per_second() / rpc_only.per_second());
        std::printf("  pair %d: commands / GetServerInfo %.2f\n", pair + 1,
                    ratios.back());
      }
    }
    if (!ratios.empty()) {
      std::sort(ratios.begin(), ratios.end());
      std::printf(
          "commands / GetServerInfo over %zu adjacent pairs: median %.2f, "
          "range %.2f-%.2f\n",
          ratios.size(),
          (ratios[(ratios.size() - 1) / 2] + ratios[ratios.size() / 2]) / 2,
          ratios.front(), ratios.back());
    }
  }
  if (process) process->Stop(SIGTERM);
  return 0;
}

}  // namespace
}  // namespace coopcraft::bench

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  absl::SetProgramUsageMessage(
      "service_load_bench [--server=host:port] [--clients=1,64] "
      "[--duration=10s]");
  absl::ParseCommandLine(argc, argv);
  return coopcraft::bench::Main();
}
