// Kills a process that is appending to the RocksDB event log at random
// moments, then checks that every acknowledged event survived byte for byte
// in a gap-free log whose hash chain verifies.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/rocksdb_event_log.h"
#include "tests/crash/crash_event.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::crash {
namespace {

using ::coopcraft::v1::EventRecord;

constexpr int kKills = 20;

struct Acked {
  uint64_t position;
  std::string stream;
};

// Reads what is available on `fd` into `out` until `deadline`; false at EOF.
bool ReadUntil(int fd, absl::Time deadline, std::string* out) {
  while (true) {
    int timeout_ms =
        static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (timeout_ms <= 0) return true;
    pollfd poll_fd{.fd = fd, .events = POLLIN, .revents = 0};
    int ready = poll(&poll_fd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return true;
    char buffer[65536];
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out->append(buffer, n);
  }
}

// Runs the writer, SIGKILLs it `delay` after it reports ready and returns
// everything it printed.
std::string RunAndKill(const std::string& path, unsigned seed,
                       absl::Duration delay) {
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::string seed_text = absl::StrCat(seed);
  std::vector<char*> argv = {const_cast<char*>(CRASH_WRITER_PATH),
                             const_cast<char*>(path.c_str()), seed_text.data(),
                             nullptr};
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    dup2(fds[1], STDOUT_FILENO);
    execv(CRASH_WRITER_PATH, argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string output;
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (output.find('\n') == std::string::npos && absl::Now() < give_up &&
         ReadUntil(fds[0], absl::Now() + absl::Milliseconds(10), &output)) {
  }
  EXPECT_EQ(output.substr(0, 6), "ready\n") << "writer did not start";
  ReadUntil(fds[0], absl::Now() + delay, &output);
  kill(pid, SIGKILL);
  while (ReadUntil(fds[0], absl::Now() + absl::Seconds(10), &output)) {
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "writer ended on its own, status " << status;
  return output;
}

// Adds the complete "POSITION ID STREAM" lines of `output` to `acked`.
void CollectAcks(const std::string& output,
                 std::map<std::string, Acked>* acked) {
  std::istringstream lines(output.substr(0, output.rfind('\n') + 1));
  std::string line;
  std::getline(lines, line);  // "ready"
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    Acked ack;
    std::string id;
    ASSERT_TRUE(fields >> ack.position >> id >> ack.stream) << line;
    ASSERT_TRUE(acked->emplace(id, ack).second) << "id acked twice: " << id;
  }
}

void CheckLog(const std::string& path,
              const std::map<std::string, Acked>& acked) {
  auto log = storage::RocksDbEventLog::Open({.path = path});
  ASSERT_TRUE(log.ok()) << log.status();
  const uint64_t head = (*log)->HeadPosition();

  std::vector<EventRecord> records;
  for (uint64_t from = 1; from <= head;) {
    auto page = (*log)->ReadAll({.from_position = from, .max_count = 10000});
    ASSERT_TRUE(page.ok()) << page.status();
    for (EventRecord& record : page->events) {
      ASSERT_EQ(record.position(), records.size() + 1) << "gap in positions";
      // Acknowledged or not, everything stored is what the writer sent.
      ASSERT_EQ(record.payload(), PayloadFor(record.event_id()));
      records.push_back(std::move(record));
    }
    from = page->next_position;
  }
  ASSERT_EQ(records.size(), head);

  for (const auto& [id, ack] : acked) {
    ASSERT_LE(ack.position, head) << "acknowledged event " << id << " lost";
    const EventRecord& record = records[ack.position - 1];
    ASSERT_EQ(record.event_id(), id);
    ASSERT_EQ(record.stream(), ack.stream);
    ASSERT_EQ(record.type(), kCrashEventType);
    auto by_id = (*log)->ReadEvent(id);
    ASSERT_TRUE(by_id.ok()) << by_id.status();
    ASSERT_EQ(by_id->position(), ack.position);
  }

  auto verification = (*log)->VerifyChain(1, head);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_EQ(verification->first_bad_position, std::nullopt)
      << verification->problem;
  EXPECT_EQ(verification->verified_count, head);
}

TEST(EventLogCrashTest, AcknowledgedAppendsSurviveSigkill) {
  coopcraft::testing::TempDir dir;
  const std::string path = dir.path() + "/log";
  const unsigned seed = std::random_device()();
  RecordProperty("seed", static_cast<int>(seed));
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 random(seed);

  std::map<std::string, Acked> acked;
  for (int round = 0; round < kKills; ++round) {
    SCOPED_TRACE(absl::StrCat("kill ", round + 1));
    absl::Duration delay = absl::Milliseconds(5 + random() % 76);
    std::string output = RunAndKill(path, seed + round, delay);
    CollectAcks(output, &acked);
    CheckLog(path, acked);
    if (HasFatalFailure() || HasFailure()) return;
  }
  // Kills that only ever hit an idle writer would prove nothing.
  EXPECT_GE(acked.size(), static_cast<size_t>(kKills));
  RecordProperty("acknowledged_events", static_cast<int>(acked.size()));
  std::printf("%d kills, %zu acknowledged events checked\n", kKills,
              acked.size());
}

}  // namespace
}  // namespace coopcraft::crash
