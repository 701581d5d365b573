// Durable append throughput of RocksDbEventLog beside raw synced RocksDB
// writes of the same record bytes at the same thread count, and ReadAll
// replay of a 1,000,000-event log beside a raw iterator scan of its family.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "services/base/mutex_mode.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_event_log.h"
#include "storage/rocksdb_tuning.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;

// About the size of a serialized domain event with a few ids and dates.
constexpr size_t kPayloadBytes = 200;
constexpr uint64_t kReplayEvents = 1'000'000;
constexpr size_t kReplayPage = 10'000;

// A random (version 4) UUID, as a client's random request id makes the
// derived event ids: each lands at a random place in the event-id index.
std::string RandomEventId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  EventIdBytes id;
  const uint64_t halves[2] = {random(), random()};
  std::memcpy(id.data(), halves, id.size());
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return FormatEventId(id);
}

// Events without ids (the log generates time-ordered ones), or with
// random ids.
std::vector<NewEvent> MakeEvents(size_t count, bool random_ids = false) {
  std::vector<NewEvent> events(count);
  for (NewEvent& event : events) {
    if (random_ids) event.event_id = RandomEventId();
    event.type = "coopcraft.v1.ActionLogged";
    event.payload = std::string(kPayloadBytes, 'p');
    event.metadata.set_actor("coach-0001");
    event.metadata.set_correlation_id("7d3f5a1e-2b4c-4d6e-8f0a-1b2c3d4e5f60");
  }
  return events;
}

// The bytes the log stores for one such event, for the raw reference.
std::string SampleRecordBytes() {
  EventRecord record;
  record.set_position(123456);
  record.set_stream("bench-12");
  record.set_revision(1234);
  record.set_event_id("7d3f5a1e-2b4c-4d6e-8f0a-1b2c3d4e5f60");
  record.set_type("coopcraft.v1.ActionLogged");
  record.set_recorded_at_micros(1'700'000'000'000'000);
  record.set_payload(std::string(kPayloadBytes, 'p'));
  record.mutable_metadata()->set_actor("coach-0001");
  record.mutable_metadata()->set_correlation_id(
      "7d3f5a1e-2b4c-4d6e-8f0a-1b2c3d4e5f60");
  SealRecord(ZeroHash(), &record);
  return record.SerializeAsString();
}

void Check(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::abort();
  }
}
void Check(const rocksdb::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::abort();
  }
}

// Databases live for the whole run; declared in destruction-safe order.
struct Fixture {
  coopcraft::testing::TempDir dir;
  std::unique_ptr<RocksDbEventLog> append_log;
  std::unique_ptr<rocksdb::DB> raw;
  std::atomic<uint64_t> raw_next_key{1};
  std::unique_ptr<RocksDbEventLog> replay_log;
  std::once_flag append_log_opened;
  std::once_flag raw_opened;
  std::once_flag replay_log_built;

  // Created on first use; destroyed by main after every benchmark thread
  // has finished, which removes the databases.
  static std::unique_ptr<Fixture>& Instance() {
    static std::unique_ptr<Fixture> fixture;
    return fixture;
  }
  static Fixture& Get() {
    static std::once_flag created;
    std::call_once(created, [] { Instance() = std::make_unique<Fixture>(); });
    return *Instance();
  }

  // Benchmark threads all call these at once; each opens its database once.
  RocksDbEventLog& AppendLog() {
    std::call_once(append_log_opened, [this] {
      auto log = RocksDbEventLog::Open({.path = dir.path() + "/append"});
      Check(log.status());
      append_log = *std::move(log);
    });
    return *append_log;
  }

  // A plain RocksDB with the log family's tuning, written by the raw
  // reference benchmarks.
  rocksdb::DB& Raw() {
    std::call_once(raw_opened, [this] {
      rocksdb::Options options(
          EventLogDbOptions(),
          EventLogFamilyOptions(kLogFamily, NewEventLogBlockCache()));
      options.create_if_missing = true;
      rocksdb::DB* db = nullptr;
      Check(rocksdb::DB::Open(options, dir.path() + "/raw", &db));
      raw.reset(db);
    });
    return *raw;
  }

  RocksDbEventLog& ReplayLog() {
    std::call_once(replay_log_built, [this] {
      auto log = RocksDbEventLog::Open({.path = dir.path() + "/replay"});
      Check(log.status());
      replay_log = *std::move(log);
      for (uint64_t i = 0; i < kReplayEvents / 1000; ++i) {
        Check(replay_log
                  ->Append(absl::StrCat("stream-", i % 100),
                           ExpectedRevision::Any(), MakeEvents(1000))
                  .status());
      }
      // Measure a settled database: everything flushed, no compaction
      // competing with the scan.
      rocksdb::DB* db = replay_log->db();
      Check(db->Flush(rocksdb::FlushOptions(),
                      replay_log->column_family(kLogFamily)));
      uint64_t running = 1;
      while (running > 0) {
        db->GetIntProperty("rocksdb.num-running-compactions", &running);
        uint64_t pending = 0;
        db->GetIntProperty("rocksdb.compaction-pending", &pending);
        running += pending;
        if (running > 0) absl::SleepFor(absl::Milliseconds(50));
      }
    });
    return *replay_log;
  }
};

void BM_LogAppend(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  const bool random_ids = state.range(1) != 0;
  RocksDbEventLog& log = Fixture::Get().AppendLog();
  const std::string stream = absl::StrCat("bench-", state.thread_index());
  for (auto _ : state) {
    auto result = log.Append(stream, ExpectedRevision::Any(),
                             MakeEvents(batch, random_ids));
    if (!result.ok()) state.SkipWithError(result.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_RawRocksDbAppend(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  Fixture& fixture = Fixture::Get();
  rocksdb::DB& db = fixture.Raw();
  const std::string value = SampleRecordBytes();
  rocksdb::WriteOptions options;
  options.sync = true;
  for (auto _ : state) {
    rocksdb::WriteBatch write;
    uint64_t key = fixture.raw_next_key.fetch_add(batch);
    for (size_t i = 0; i < batch; ++i) {
      Check(write.Put(EncodeBigEndian64(key + i), value));
    }
    Check(db.Write(options, &write));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_LogReplay(benchmark::State& state) {
  RocksDbEventLog& log = Fixture::Get().ReplayLog();
  for (auto _ : state) {
    uint64_t seen = 0;
    for (uint64_t from = 1; from <= log.HeadPosition();) {
      auto page = log.ReadAll({.from_position = from,
                               .max_count = kReplayPage,
                               .max_scan = kReplayPage});
      Check(page.status());
      seen += page->events.size();
      benchmark::DoNotOptimize(page->events.data());
      from = page->next_position;
    }
    if (seen != kReplayEvents) state.SkipWithError("replay lost events");
  }
  state.SetItemsProcessed(state.iterations() * kReplayEvents);
}

// The same replay through ScanAll, which hands out one reused record.
void BM_LogScanAllReplay(benchmark::State& state) {
  RocksDbEventLog& log = Fixture::Get().ReplayLog();
  for (auto _ : state) {
    uint64_t seen = 0;
    for (uint64_t from = 1; from <= log.HeadPosition();) {
      auto next = log.ScanAll({.from_position = from,
                               .max_count = kReplayPage,
                               .max_scan = kReplayPage},
                              [&seen](const EventRecord& record) {
                                seen += record.payload().size() > 0;
                                return absl::OkStatus();
                              });
      Check(next.status());
      from = *next;
    }
    if (seen != kReplayEvents) state.SkipWithError("replay lost events");
  }
  state.SetItemsProcessed(state.iterations() * kReplayEvents);
}

// The floor any replay pays: RocksDB iteration over the same family with
// the same read options, touching each value but not parsing it.
void BM_RawRocksDbScan(benchmark::State& state) {
  RocksDbEventLog& log = Fixture::Get().ReplayLog();
  for (auto _ : state) {
    rocksdb::ReadOptions options;
    options.fill_cache = false;
    options.readahead_size = 4 << 20;
    std::unique_ptr<rocksdb::Iterator> it(
        log.db()->NewIterator(options, log.column_family(kLogFamily)));
    uint64_t seen = 0;
    size_t bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->value().size();
      ++seen;
    }
    benchmark::DoNotOptimize(bytes);
    if (seen != kReplayEvents) state.SkipWithError("scan lost records");
  }
  state.SetItemsProcessed(state.iterations() * kReplayEvents);
}

// BM_LogAppend's second argument: 0 lets the log generate time-ordered
// ids, 1 sends random ones (what random request ids derive).
BENCHMARK(BM_LogAppend)->Args({1, 0})->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_RawRocksDbAppend)->Arg(1)->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_LogAppend)->Args({1, 0})->Threads(64)->UseRealTime()->MinTime(2);
BENCHMARK(BM_LogAppend)->Args({1, 1})->Threads(64)->UseRealTime()->MinTime(2);
BENCHMARK(BM_RawRocksDbAppend)->Arg(1)->Threads(64)->UseRealTime()->MinTime(2);
BENCHMARK(BM_LogAppend)->Args({100, 0})->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_RawRocksDbAppend)->Arg(100)->Threads(1)->UseRealTime()->MinTime(2);
BENCHMARK(BM_LogReplay)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LogScanAllReplay)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RawRocksDbScan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace coopcraft::storage

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  coopcraft::storage::Fixture::Instance().reset();
  return 0;
}
