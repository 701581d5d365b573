// What the application layer adds to a command, without gRPC: 64 threads
// each run commands through AggregateRepository::Execute on a stream of
// their own (find the cached state, decide, pack, derive the event id,
// append, fold the event, complete), beside 64 threads appending the same
// stored event to the log directly. Both report the process's CPU time
// per command, the figure that bounds throughput on two shared cores.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "benchmark/benchmark.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "services/app/aggregate_repository.h"
#include "services/app/event_envelope.h"
#include "services/app/request_ids.h"
#include "services/base/mutex_mode.h"
#include "services/domain/cohort/cohort.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::app {
namespace {

using Repository =
    AggregateRepository<domain::cohort::CohortState, v1::CohortEvent>;

void Check(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::abort();
  }
}

// A group meeting with an agenda: about the size of a logged action.
v1::CohortEvent Meeting(const std::string& meeting_id) {
  v1::CohortEvent event;
  auto* meeting = event.mutable_group_meeting_recorded();
  meeting->set_call_id("call-2026-spring");
  meeting->set_meeting_id(meeting_id);
  meeting->mutable_held_on()->set_year(2026);
  meeting->mutable_held_on()->set_month(11);
  meeting->mutable_held_on()->set_day(29);
  meeting->set_facilitator_id("coach-0001");
  meeting->set_duration_minutes(90);
  meeting->add_agenda_items()->set_topic(std::string(100, 't'));
  return event;
}

std::string RequestId(int thread, int64_t n) {
  return absl::StrFormat("00000000-0000-4000-8000-%04d%08d", thread, n);
}

// One log per benchmark, so each starts from an empty memtable.
struct Fixture {
  coopcraft::testing::TempDir dir;
  std::unique_ptr<storage::RocksDbEventLog> log;
  std::unique_ptr<Repository> repository;

  explicit Fixture(const std::string& name) {
    auto opened = storage::RocksDbEventLog::Open({.path = dir.path() + name});
    Check(opened.status());
    log = *std::move(opened);
    repository =
        std::make_unique<Repository>(log.get(), &domain::cohort::Evolve);
  }
};

// Set up by thread 0, shared by the others until the next benchmark.
std::unique_ptr<Fixture>& Current() {
  static std::unique_ptr<Fixture> fixture;
  return fixture;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

// The process's CPU time per command over the measured loop, as counted by
// thread 0 (the loop's start and end are barriers for all threads).
class CpuPerCommand {
 public:
  void Start(const benchmark::State& state) {
    if (state.thread_index() == 0) start_ = ProcessCpuSeconds();
  }
  void Report(benchmark::State& state) {
    if (state.thread_index() != 0) return;
    const double commands =
        static_cast<double>(state.iterations()) * state.threads();
    state.counters["cpu_us_per_cmd"] =
        1e6 * (ProcessCpuSeconds() - start_) / commands;
  }

 private:
  double start_ = 0;
};

void BM_RepositoryCommand(benchmark::State& state) {
  if (state.thread_index() == 0) {
    Current() = std::make_unique<Fixture>("/repository");
  }
  // The framework starts every thread's loop together, after this.
  static CpuPerCommand cpu;
  const std::string stream =
      absl::StrCat("cohort-bench-", state.thread_index());
  int64_t n = 0;
  cpu.Start(state);
  for (auto _ : state) {
    Repository& repository = *Current()->repository;
    const std::string meeting_id = absl::StrCat(n);
    CommandContext context;
    context.request_id = RequestId(state.thread_index(), n++);
    context.actor = "coach-0001";
    absl::Notification done;
    absl::Status outcome;
    repository.Execute(
        stream, std::move(context),
        [&meeting_id](const domain::cohort::CohortState&)
            -> absl::StatusOr<std::vector<v1::CohortEvent>> {
          return std::vector<v1::CohortEvent>{Meeting(meeting_id)};
        },
        [&](absl::StatusOr<v1::WriteResult> result) {
          outcome = result.status();
          done.Notify();
        });
    done.WaitForNotification();
    if (!outcome.ok()) state.SkipWithError(outcome.ToString().c_str());
  }
  cpu.Report(state);
  state.SetItemsProcessed(state.iterations());
}

void BM_LogAppendOfTheSameEvent(benchmark::State& state) {
  if (state.thread_index() == 0) Current() = std::make_unique<Fixture>("/log");
  static CpuPerCommand cpu;
  const std::string stream =
      absl::StrCat("cohort-bench-", state.thread_index());
  int64_t n = 0;
  cpu.Start(state);
  for (auto _ : state) {
    absl::StatusOr<TypedPayload> typed = PackEnvelope(Meeting(absl::StrCat(n)));
    Check(typed.status());
    std::vector<storage::NewEvent> events(1);
    const std::string request_id = RequestId(state.thread_index(), n++);
    events[0].event_id = EventIdForRequest(request_id, 0);
    events[0].type = std::move(typed->type);
    events[0].payload = std::move(typed->payload);
    events[0].metadata.set_actor("coach-0001");
    events[0].metadata.set_correlation_id(request_id);
    events[0].metadata.set_causation_id(request_id);
    auto appended = Current()->log->Append(
        stream, storage::ExpectedRevision::Any(), std::move(events));
    if (!appended.ok())
      state.SkipWithError(appended.status().ToString().c_str());
  }
  cpu.Report(state);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_LogAppendOfTheSameEvent)->Threads(64)->UseRealTime()->MinTime(3);
BENCHMARK(BM_RepositoryCommand)->Threads(64)->UseRealTime()->MinTime(3);
BENCHMARK(BM_LogAppendOfTheSameEvent)->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_RepositoryCommand)->Threads(1)->UseRealTime()->MinTime(2);

}  // namespace
}  // namespace coopcraft::app

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  coopcraft::app::Current().reset();
  return 0;
}
