// Rebuild of every projection from a generated 1,000,000-event history
// (target: at least 500,000 events/s), GetProject latency over 10,000
// projects (target: p99 at most 1 ms in process), and peak RSS.
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/base/mutex_mode.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_catalog.h"
#include "services/projections/projection_engine.h"
#include "services/projections/rocksdb_projection_store.h"
#include "storage/memory_event_log.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/programme_history.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr size_t kProjects = 10000;

// The history, generated once: about 1,000,000 events over 10,000 projects,
// with the selection and cohort streams around them, so that every
// projection has its share of work.
storage::MemoryEventLog& History() {
  static storage::MemoryEventLog* log = [] {
    auto* log = new storage::MemoryEventLog();
    absl::Status status = testing::AppendHistory(
        *log, testing::GenerateProgrammeHistory({.seed = 1,
                                                 .projects = kProjects,
                                                 .events_per_project = 80,
                                                 .max_events_per_append = 32,
                                                 .include_selection = true}));
    if (!status.ok()) abort();
    return log;
  }();
  return *log;
}

double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// CPU seconds of the whole process, so that a machine shared with other
// work still gives a fair events-per-CPU-second figure.
double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
}

// A fresh instance of every projection coopcraftd runs.
std::vector<std::unique_ptr<Projection>> AllProjections() {
  std::vector<std::unique_ptr<Projection>> all;
  for (const std::string& name : ProjectionCatalog::Default().Names()) {
    auto projection = ProjectionCatalog::Default().Create(name);
    if (!projection.ok()) abort();
    all.push_back(*std::move(projection));
  }
  return all;
}

// Folds the whole history into `projections`, as the server's engine does
// on a first start, on `threads` threads (the server's default is 2).
void Rebuild(ProjectionStore& store,
             const std::vector<std::unique_ptr<Projection>>& projections,
             int threads = ProjectionEngineOptions().fold_threads) {
  storage::MemoryEventLog& log = History();
  std::vector<Projection*> raw;
  for (const auto& projection : projections) raw.push_back(projection.get());
  auto engine =
      ProjectionEngine::Start(&log, &store, raw, {.fold_threads = threads});
  if (!engine.ok() ||
      !(*engine)->WaitUntil(log.HeadPosition(), absl::InfiniteFuture()).ok()) {
    abort();
  }
}

void BM_RebuildIntoMemoryStore(benchmark::State& state) {
  const uint64_t events = History().HeadPosition();
  double cpu = 0;
  for (auto _ : state) {
    MemoryProjectionStore store;
    auto projections = AllProjections();
    const double start = ProcessCpuSeconds();
    Rebuild(store, projections, static_cast<int>(state.range(0)));
    cpu += ProcessCpuSeconds() - start;
  }
  state.counters["events_per_cpu_s"] =
      static_cast<double>(events * state.iterations()) / cpu;
  state.SetItemsProcessed(static_cast<int64_t>(events * state.iterations()));
  state.counters["events"] = static_cast<double>(events);
  state.counters["peak_rss_MiB"] = PeakRssMib();
}
// Arg: fold threads; 1 is the reference for the parallel fold.
BENCHMARK(BM_RebuildIntoMemoryStore)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

// One projection alone, to see which ones cost the most.
void BM_RebuildOneIntoMemoryStore(benchmark::State& state,
                                  const std::string& name) {
  const uint64_t events = History().HeadPosition();
  double cpu = 0;
  for (auto _ : state) {
    MemoryProjectionStore store;
    std::vector<std::unique_ptr<Projection>> one;
    one.push_back(*ProjectionCatalog::Default().Create(name));
    const double start = ProcessCpuSeconds();
    Rebuild(store, one);
    cpu += ProcessCpuSeconds() - start;
  }
  state.counters["events_per_cpu_s"] =
      static_cast<double>(events * state.iterations()) / cpu;
}

// The server's setup: state and checkpoint in the log database's
// "projections" column family.
void BM_RebuildIntoRocksDb(benchmark::State& state) {
  const uint64_t events = History().HeadPosition();
  std::string dir = std::filesystem::temp_directory_path().string() +
                    "/projections_bench_XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) abort();
  int round = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = storage::RocksDbEventLog::Open(
        {.path = absl::StrCat(dir, "/db", round++),
         .extra_column_families = {kProjectionColumnFamily}});
    if (!db.ok()) abort();
    auto store = RocksDbProjectionStore::Create(
        (*db)->db(), (*db)->column_family(kProjectionColumnFamily));
    if (!store.ok()) abort();
    auto projections = AllProjections();
    state.ResumeTiming();
    const double start = ProcessCpuSeconds();
    Rebuild(**store, projections);
    cpu += ProcessCpuSeconds() - start;
  }
  state.counters["events_per_cpu_s"] =
      static_cast<double>(events * state.iterations()) / cpu;
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<int64_t>(events * state.iterations()));
  state.counters["peak_rss_MiB"] = PeakRssMib();
}
BENCHMARK(BM_RebuildIntoRocksDb)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

// GetProject as QueryService calls it (copy, then today's flags), with the
// percentiles measured per call.
void BM_GetProject(benchmark::State& state) {
  static ProjectViewProjection* views = [] {
    auto* views = new ProjectViewProjection();
    MemoryProjectionStore store;
    std::vector<std::unique_ptr<Projection>> one;
    one.emplace_back(views);
    Rebuild(store, one);
    one.front().release();
    return views;
  }();
  v1::Date today;
  today.set_year(2026);
  today.set_month(11);
  today.set_day(28);
  std::mt19937_64 random(7);
  std::vector<double> micros;
  micros.reserve(1 << 20);
  for (auto _ : state) {
    const std::string id = absl::StrCat("app-", random() % kProjects);
    const auto start = std::chrono::steady_clock::now();
    auto view = views->Get(id, today);
    benchmark::DoNotOptimize(view);
    micros.push_back(std::chrono::duration<double, std::micro>(
                         std::chrono::steady_clock::now() - start)
                         .count());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["projects"] = static_cast<double>(views->size());
  state.counters["peak_rss_MiB"] = PeakRssMib();
}
BENCHMARK(BM_GetProject)->Iterations(200000);

}  // namespace
}  // namespace coopcraft::projections

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  for (const std::string& name :
       coopcraft::projections::ProjectionCatalog::Default().Names()) {
    benchmark::RegisterBenchmark(
        ("BM_RebuildOneIntoMemoryStore/" + name).c_str(),
        coopcraft::projections::BM_RebuildOneIntoMemoryStore, name)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
