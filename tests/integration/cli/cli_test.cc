// The real coopcraft CLI: `audit verify` on export files cut at either end
// or rewritten and re-hashed (their chains all verify: only the range and
// the hashes at its ends tell), and the token kept off plaintext links to
// non-loopback servers before any connection is made.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "coopcraft/v1/event_record.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/export_verifier.h"
#include "storage/record_hash.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::coopcraft::v1::EventRecord;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kFailedPrecondition = 9;  // grpc::StatusCode::FAILED_PRECONDITION
constexpr int kDataLoss = 15;           // grpc::StatusCode::DATA_LOSS

std::string Hex(const std::string& bytes) {
  return absl::BytesToHexString(bytes);
}

// A sealed chain of `count` records from position 1.
std::vector<EventRecord> Chain(int count) {
  std::vector<EventRecord> records;
  std::string prev_hash(storage::ZeroHash());
  for (int i = 1; i <= count; ++i) {
    EventRecord record;
    record.set_position(i);
    record.set_stream("project-1");
    record.set_revision(i - 1);
    record.set_event_id(absl::StrCat("event-", i));
    record.set_type("t.A");
    record.set_payload(absl::StrCat("payload ", i));
    storage::SealRecord(prev_hash, &record);
    prev_hash = record.hash();
    records.push_back(std::move(record));
  }
  return records;
}

// Writes records [first, last] (1-based positions) of `records`.
std::string WriteExport(const TempDir& dir, const std::string& name,
                        const std::vector<EventRecord>& records, int first,
                        int last) {
  const std::string path = absl::StrCat(dir.path(), "/", name);
  std::ofstream out(path, std::ios::binary);
  EXPECT_TRUE(storage::WriteExportHeader(out).ok());
  for (int position = first; position <= last; ++position) {
    EXPECT_TRUE(storage::WriteExportRecord(records[position - 1], out).ok());
  }
  out.close();
  EXPECT_TRUE(out.good()) << path;
  return path;
}

ExitInfo Verify(const std::string& file,
                const std::vector<std::string>& flags = {}) {
  std::vector<std::string> args = flags;
  args.insert(args.end(), {"audit", "verify", file});
  ExitInfo exit = RunProgram(COOPCRAFT_CLI_PATH, args, absl::Seconds(60));
  EXPECT_TRUE(exit.exited) << exit.output;
  return exit;
}

class CliVerifyTest : public ::testing::Test {
 protected:
  TempDir dir_;
  const std::vector<EventRecord> chain_ = Chain(5);
};

TEST_F(CliVerifyTest, CompleteExportPrintsItsRangeAnchorAndHeadHash) {
  const std::string file = WriteExport(dir_, "whole.export", chain_, 1, 5);
  ExitInfo exit = Verify(file);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("OK 5 records\n"));
  EXPECT_THAT(exit.output, HasSubstr("first_position=1\n"));
  EXPECT_THAT(exit.output, HasSubstr("last_position=5\n"));
  EXPECT_THAT(
      exit.output,
      HasSubstr(absl::StrCat("anchor_prev_hash=", std::string(64, '0'), "\n")));
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("head_hash=", Hex(chain_[4].hash()))));
  EXPECT_THAT(exit.output, Not(HasSubstr("PARTIAL")));

  exit = Verify(file,
                {"--expect_first=1", "--expect_last=5",
                 absl::StrCat("--expect_anchor_hash=", std::string(64, '0')),
                 absl::StrCat("--expect_head_hash=",
                              absl::AsciiStrToUpper(Hex(chain_[4].hash())))});
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, Not(HasSubstr("MISMATCH")));
}

TEST_F(CliVerifyTest, HeadTruncatedExportSaysWhereItStartsAndFailsExpectFirst) {
  const std::string file = WriteExport(dir_, "head-cut.export", chain_, 3, 5);
  ExitInfo exit = Verify(file);
  // A ranged export is legitimate, so the chain alone passes...
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("OK 3 records\n"));
  EXPECT_THAT(exit.output, HasSubstr("first_position=3\n"));
  // ...but it is never silently taken for the whole log.
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("PARTIAL starts at position 3, anchored "
                                     "on prev_hash ",
                                     Hex(chain_[1].hash()))));

  exit = Verify(file, {"--expect_first=1"});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr("MISMATCH first_position: the file has 3, expected 1"));
}

TEST_F(CliVerifyTest, TailTruncatedExportSaysWhereItEndsAndFailsExpectLast) {
  const std::string file = WriteExport(dir_, "tail-cut.export", chain_, 1, 3);
  ExitInfo exit = Verify(file);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("last_position=3\n"));
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("head_hash=", Hex(chain_[2].hash()))));

  exit = Verify(file, {"--expect_last=5"});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr("MISMATCH last_position: the file has 3, expected 5"));

  exit = Verify(file,
                {absl::StrCat("--expect_head_hash=", Hex(chain_[4].hash()))});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("MISMATCH head_hash: the file has ",
                                     Hex(chain_[2].hash()), ", expected ",
                                     Hex(chain_[4].hash()))));
}

TEST_F(CliVerifyTest, RewrittenAndRehashedExportFailsExpectHeadHash) {
  std::vector<EventRecord> forged = chain_;
  forged[2].set_payload("forged");
  for (int i = 2; i < 5; ++i) {
    storage::SealRecord(forged[i - 1].hash(), &forged[i]);
  }
  const std::string file = WriteExport(dir_, "forged.export", forged, 1, 5);
  ExitInfo exit = Verify(file);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;  // the chain itself holds

  exit = Verify(file,
                {absl::StrCat("--expect_head_hash=", Hex(chain_[4].hash()))});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("MISMATCH head_hash"));
}

TEST_F(CliVerifyTest, ALaterExportIsAnchoredOnTheHeadHashOfTheOneBefore) {
  const std::string file = WriteExport(dir_, "next.export", chain_, 4, 5);
  ExitInfo exit = Verify(
      file, {absl::StrCat("--expect_anchor_hash=", Hex(chain_[2].hash()))});
  EXPECT_EQ(exit.exit_code, 0) << exit.output;

  exit = Verify(file,
                {absl::StrCat("--expect_anchor_hash=", Hex(chain_[1].hash()))});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("MISMATCH anchor_prev_hash"));
}

TEST_F(CliVerifyTest, EmptyExportMeetsNoExpectation) {
  const std::string file = WriteExport(dir_, "empty.export", chain_, 1, 0);
  ExitInfo exit = Verify(file);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("OK 0 records\n"));
  exit = Verify(file, {"--expect_last=5"});
  EXPECT_EQ(exit.exit_code, kFailedPrecondition) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr("MISMATCH last_position: the file has none"));
}

TEST_F(CliVerifyTest, GarbledFirstRecordOfALaterExportNamesNoPosition) {
  const std::string path = absl::StrCat(dir_.path(), "/garbled.export");
  {
    std::ofstream out(path, std::ios::binary);
    ASSERT_TRUE(storage::WriteExportHeader(out).ok());
    out << '\x02' << "\xff\xff";  // in place of record 3: no EventRecord
    ASSERT_TRUE(storage::WriteExportRecord(chain_[3], out).ok());
    ASSERT_TRUE(storage::WriteExportRecord(chain_[4], out).ok());
  }
  ExitInfo exit = Verify(path);
  EXPECT_EQ(exit.exit_code, kDataLoss) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr("BROKEN first_bad_position=unknown: the first record "
                        "is truncated or unparseable, so the position the file "
                        "starts at is unknown (0 good records before it)"));
}

TEST_F(CliVerifyTest, ExpectedHashMustBeASha256InHex) {
  const std::string file = WriteExport(dir_, "whole.export", chain_, 1, 5);
  ExitInfo exit = Verify(file, {"--expect_head_hash=abc"});
  EXPECT_EQ(exit.exit_code, 2) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("--expect_head_hash must be 64 hex"));
}

// A TCP listener on every address of this machine, with its port. Nothing
// ever accepts on it, so a connection the CLI makes stays queued and
// Accepted() can tell.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t size = sizeof(address);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), size), 0);
    EXPECT_EQ(listen(fd_, 16), 0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size),
              0);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(fd_); }

  int port() const { return port_; }
  bool Accepted() {
    const int connection = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
      EXPECT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK) << errno;
      return false;
    }
    close(connection);
    return true;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class CliTokenTest : public ::testing::Test {
 protected:
  CliTokenTest() { std::ofstream(token_file_) << "not-a-real-token\n"; }

  // `coopcraft status` to 0.0.0.0, which reaches this machine (so a
  // connection would show on the listener) but is not a loopback address.
  ExitInfo StatusOverPlaintext(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        absl::StrCat("--server=0.0.0.0:", listener_.port()),
        absl::StrCat("--token_file=", token_file_), "--timeout=2s"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("status");
    ExitInfo exit = RunProgram(COOPCRAFT_CLI_PATH, args, absl::Seconds(60));
    EXPECT_TRUE(exit.exited) << exit.output;
    return exit;
  }

  TempDir dir_;
  const std::string token_file_ = dir_.path() + "/token";
  Listener listener_;
};

TEST_F(CliTokenTest,
       TokenInClearToANonLoopbackServerIsRefusedBeforeConnecting) {
  ExitInfo exit = StatusOverPlaintext({});
  EXPECT_EQ(exit.exit_code, 2) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("refusing to send the bearer token"));
  EXPECT_THAT(exit.output, HasSubstr("--insecure_token_over_plaintext"));
  EXPECT_FALSE(listener_.Accepted());
}

TEST_F(CliTokenTest, ExplicitOptInSendsItAnyway) {
  // The listener never answers, so the call times out; what matters is
  // that the CLI connected, which shows the refusal above was not merely
  // an unreachable address.
  ExitInfo exit = StatusOverPlaintext({"--insecure_token_over_plaintext"});
  EXPECT_NE(exit.exit_code, 2) << exit.output;
  EXPECT_NE(exit.exit_code, 0) << exit.output;
  EXPECT_TRUE(listener_.Accepted());
}

}  // namespace
}  // namespace coopcraft::testing
