// event_log_crash_writer DIR SEED: appends to the RocksDB event log in DIR
// from several threads until killed. Prints "ready" once the log is open,
// then one "POSITION EVENT_ID STREAM" line per acknowledged event, each
// append's lines in one write(2) so a kill never tears them.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

void AppendForever(storage::EventLog& log, int thread, unsigned seed) {
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
    auto result = log.Append(stream, expected, std::move(events));
    if (!result.ok()) Die(result.status().ToString());
    if (to_own) own_revision = result->next_revision - 1;
    std::string lines;
    for (size_t i = 0; i < ids.size(); ++i) {
      absl::StrAppend(&lines, result->first_position + i, " ", ids[i], " ",
                      stream, "\n");
    }
    WriteAll(lines);
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
