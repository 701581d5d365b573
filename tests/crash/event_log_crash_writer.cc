// event_log_crash_writer DIR SEED: appends to the RocksDB event log in DIR
// from several threads, waiting (Append) and pipelined (AppendAsync), until
// killed. Prints "ready" once the log is open, then one "POSITION EVENT_ID
// STREAM" line per acknowledged event, each append's lines in one write(2)
// so a kill never tears them.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "storage/event_id.h"
#include "storage/rocksdb_event_log.h"
#include "tests/crash/crash_event.h"

namespace coopcraft::crash {
namespace {

using storage::ExpectedRevision;

constexpr int kThreads = 4;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "event_log_crash_writer: %s\n", message.c_str());
  std::_Exit(2);
}

void WriteAll(const std::string& text) {
  // Lines stay below PIPE_BUF, so each write is atomic on the pipe.
  if (write(STDOUT_FILENO, text.data(), text.size()) !=
      static_cast<ssize_t>(text.size())) {
    Die("short write to stdout");
  }
}

// Appends of one AppendAsync thread not yet acknowledged, bounded so the
// writer does not queue without end.
class InFlight {
 public:
  void Acquire() {
    mu_.LockWhen(absl::Condition(
        +[](int* count) { return *count < kMaxInFlight; }, &count_));
    ++count_;
    mu_.Unlock();
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    --count_;
  }

 private:
  static constexpr int kMaxInFlight = 32;
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

std::string AckLines(const storage::AppendResult& result,
                     const std::vector<std::string>& ids,
                     const std::string& stream) {
  std::string lines;
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StrAppend(&lines, result.first_position + i, " ", ids[i], " ", stream,
                    "\n");
  }
  return lines;
}

// Half the threads wait in Append; the others pipeline AppendAsync calls,
// with exact expectations on their private stream that hold only if one
// thread's appends commit in the order made.
void AppendForever(storage::EventLog& log, int thread, unsigned seed) {
  const bool pipelined = thread % 2 == 1;
  InFlight in_flight;
  std::mt19937 random(seed * 131 + thread);
  const std::string own = absl::StrCat("private-", thread);
  // Known from earlier runs of the writer; exact expectations on the
  // private stream must never conflict.
  auto stored = log.StreamRevision(own);
  if (!stored.ok()) Die(stored.status().ToString());
  std::optional<uint64_t> own_revision = *stored;
  while (true) {
    const bool to_own = random() % 2 == 0;
    const std::string stream =
        to_own ? own : absl::StrCat("shared-", random() % 3);
    std::vector<storage::NewEvent> events(1 + random() % 3);
    std::vector<std::string> ids;
    for (auto& event : events) {
      auto id = storage::GenerateEventId();
      if (!id.ok()) Die(id.status().ToString());
      event.event_id = storage::FormatEventId(*id);
      event.type = std::string(kCrashEventType);
      event.payload = PayloadFor(event.event_id);
      ids.push_back(event.event_id);
    }
    ExpectedRevision expected = ExpectedRevision::Any();
    if (to_own) {
      expected = own_revision.has_value()
                     ? ExpectedRevision::Exact(*own_revision)
                     : ExpectedRevision::NoStream();
    }
    if (pipelined) {
      if (to_own) {
        own_revision =
            (own_revision ? *own_revision + 1 : 0) + events.size() - 1;
      }
      in_flight.Acquire();
      log.AppendAsync(stream, expected, std::move(events),
                      [&in_flight, ids = std::move(ids),
                       stream](absl::StatusOr<storage::AppendResult> result) {
                        if (!result.ok()) Die(result.status().ToString());
                        WriteAll(AckLines(*result, ids, stream));
                        in_flight.Release();
                      });
      continue;
    }
    auto result = log.Append(stream, expected, std::move(events));
    if (!result.ok()) Die(result.status().ToString());
    if (to_own) own_revision = result->next_revision - 1;
    WriteAll(AckLines(*result, ids, stream));
  }
}

int Main(int argc, char** argv) {
  if (argc != 3) Die("usage: event_log_crash_writer DIR SEED");
  auto log = storage::RocksDbEventLog::Open({.path = argv[1]});
  if (!log.ok()) Die(log.status().ToString());
  WriteAll("ready\n");
  unsigned seed = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { AppendForever(**log, t, seed); });
  }
  for (std::thread& thread : threads) thread.join();
  return 0;
}

}  // namespace
}  // namespace coopcraft::crash

int main(int argc, char** argv) { return coopcraft::crash::Main(argc, argv); }
