// The real coopcraftd: subscribe over its log, VerifyChain, and the offline
// verifier of an export (the coopcraft CLI) naming the same first bad
// position after one stored record was altered behind the server's back;
// exports cut at either end or rewritten and re-hashed, which verify as
// chains, caught by comparing their range and head hash with the server's;
// an export that cannot be written failing.
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <grpcpp/grpcpp.h>
#include <rocksdb/db.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/export_verifier.h"
#include "storage/keys.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_event_log.h"
#include "storage/stored_record.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kEvents = 1000;
constexpr uint64_t kAltered = 500;

// Writes kEvents events into the log under data_dir, then closes it.
void SeedLog(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  storage::RocksDbEventLogOptions options;
  options.path = data_dir + "/log";
  auto log = storage::RocksDbEventLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status();
  for (int i = 0; i < kEvents; i += 100) {
    std::vector<storage::NewEvent> events(100);
    for (auto& event : events) {
      event.type = "t.A";
      event.payload = "payload";
    }
    ASSERT_TRUE((*log)
                    ->Append(absl::StrCat("project-", i % 7),
                             storage::ExpectedRevision::Any(),
                             std::move(events))
                    .ok());
  }
}

// Changes one payload byte of the record at `position` and re-seals its
// CRC, as a forger would: only the hash chain can tell.
void AlterStoredRecord(const std::string& data_dir, uint64_t position) {
  const std::string path = data_dir + "/log";
  std::vector<std::string> names;
  ASSERT_TRUE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names)
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(
      rocksdb::DB::Open(rocksdb::Options(), path, families, &handles, &raw)
          .ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* log = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "log") log = handles[i];
  }
  ASSERT_NE(log, nullptr);
  const std::string key = storage::EncodeBigEndian64(position);
  std::string value;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), log, key, &value).ok());
  coopcraft::v1::EventRecord record;
  ASSERT_TRUE(storage::DecodeStoredRecord(value, position, &record).ok());
  (*record.mutable_payload())[0] ^= 0x01;
  storage::EncodeStoredRecord(record, &value);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE(db->Put(sync, log, key, value).ok());
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
}

coopcraft::v1::VerifyChainResponse VerifyChain(const ServerProcess& server,
                                               uint64_t to = 0) {
  grpc::ClientContext context;
  coopcraft::v1::VerifyChainRequest request;
  request.set_to_position(to);
  coopcraft::v1::VerifyChainResponse response;
  grpc::Status status = coopcraft::v1::AuditService::NewStub(server.Channel())
                            ->VerifyChain(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::string Hex(const std::string& bytes) {
  return absl::BytesToHexString(bytes);
}

// The real CLI, with the server's address and ADMIN token.
ExitInfo RunCli(const ServerProcess& server,
                const std::vector<std::string>& args) {
  std::vector<std::string> all = {
      absl::StrCat("--server=", server.address()),
      absl::StrCat("--token_file=", server.AdminTokenFile()), "--timeout=30s"};
  all.insert(all.end(), args.begin(), args.end());
  ExitInfo exit = RunProgram(COOPCRAFT_CLI_PATH, all, absl::Seconds(60));
  EXPECT_TRUE(exit.exited) << exit.output;
  return exit;
}

// `coopcraft audit verify [flags] FILE`: offline, no server, no token.
ExitInfo VerifyFile(const std::string& file,
                    const std::vector<std::string>& flags = {}) {
  std::vector<std::string> args = flags;
  args.insert(args.end(), {"audit", "verify", file});
  ExitInfo exit = RunProgram(COOPCRAFT_CLI_PATH, args, absl::Seconds(60));
  EXPECT_TRUE(exit.exited) << exit.output;
  return exit;
}

// The records of an export file, in order.
std::vector<coopcraft::v1::EventRecord> ReadExport(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string magic(storage::kExportMagic.size(), '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  EXPECT_EQ(magic, storage::kExportMagic);
  google::protobuf::io::IstreamInputStream stream(&in);
  std::vector<coopcraft::v1::EventRecord> records;
  coopcraft::v1::EventRecord record;
  bool clean_eof = false;
  while (google::protobuf::util::ParseDelimitedFromZeroCopyStream(
      &record, &stream, &clean_eof)) {
    records.push_back(record);
    record.Clear();
  }
  EXPECT_TRUE(clean_eof) << file;
  return records;
}

void WriteExport(const std::string& file,
                 const std::vector<coopcraft::v1::EventRecord>& records) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(storage::WriteExportHeader(out).ok());
  for (const auto& record : records) {
    ASSERT_TRUE(storage::WriteExportRecord(record, out).ok());
  }
  out.close();
  ASSERT_TRUE(out.good()) << file;
}

// The value of "key=value" in the CLI's output; empty when absent.
std::string OutputValue(const std::string& output, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::ConsumePrefix(&line, absl::StrCat(key, "="))) {
      return std::string(line);
    }
  }
  return "";
}

// `coopcraft audit export` then `coopcraft audit verify`, both the real CLI.
ExitInfo ExportAndVerify(const ServerProcess& server, const std::string& file) {
  ExitInfo exported = RunProgram(
      COOPCRAFT_CLI_PATH,
      {absl::StrCat("--server=", server.address()),
       absl::StrCat("--token_file=", server.AdminTokenFile()), "--timeout=30s",
       "audit", "export", absl::StrCat("--out=", file)},
      absl::Seconds(60));
  EXPECT_EQ(exported.exit_code, 0) << exported.output;
  return RunProgram(COOPCRAFT_CLI_PATH, {"audit", "verify", file},
                    absl::Seconds(60));
}

std::unique_ptr<ServerProcess> Start(const std::string& data_dir) {
  auto server = ServerProcess::Start({.data_dir = data_dir});
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

TEST(AuditTest, SubscribingToTheRealServerDeliversTheWholeLogInOrder) {
  TempDir dir;
  SeedLog(dir.path() + "/data");
  auto server = Start(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  coopcraft::v1::SubscribeRequest request;
  request.set_from_start(true);
  auto reader = coopcraft::v1::EventStreamService::NewStub(server->Channel())
                    ->Subscribe(&context, request);
  uint64_t expected = 1;
  coopcraft::v1::SubscribeResponse response;
  while (expected <= kEvents && reader->Read(&response)) {
    for (const auto& event : response.events().events()) {
      ASSERT_EQ(event.position(), expected++);
    }
  }
  EXPECT_EQ(expected, kEvents + 1u);
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST(AuditTest, MaxSubscribersFlagRefusesTheOneTooMany) {
  TempDir dir;
  SeedLog(dir.path() + "/data");
  auto server = ServerProcess::Start({.data_dir = dir.path() + "/data",
                                      .extra_flags = {"--max_subscribers=2"}});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = coopcraft::v1::EventStreamService::NewStub((*server)->Channel());
  coopcraft::v1::SubscribeRequest request;
  request.set_from_start(true);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<
      std::unique_ptr<grpc::ClientReader<coopcraft::v1::SubscribeResponse>>>
      readers;
  coopcraft::v1::SubscribeResponse response;
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    readers.push_back(stub->Subscribe(contexts.back().get(), request));
    // A first message proves the subscription was admitted before the next
    // one starts.
    const bool admitted = readers.back()->Read(&response);
    EXPECT_EQ(admitted, i < 2) << "subscriber " << i;
  }
  EXPECT_EQ(readers[2]->Finish().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (int i = 0; i < 2; ++i) {
    contexts[i]->TryCancel();
    while (readers[i]->Read(&response)) {
    }
    readers[i]->Finish();
  }
}

TEST(AuditTest, AlteredRecordIsNamedAlikeByVerifyChainAndOfflineVerifier) {
  TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  SeedLog(data_dir);
  auto server = Start(data_dir);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(VerifyChain(*server).ok());
  ExitInfo intact = ExportAndVerify(*server, dir.path() + "/intact.export");
  EXPECT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_THAT(intact.output, HasSubstr(absl::StrCat("OK ", kEvents)));

  ASSERT_TRUE(server->Stop(SIGTERM).exited);
  AlterStoredRecord(data_dir, kAltered);
  server = Start(data_dir);
  ASSERT_NE(server, nullptr);
  coopcraft::v1::VerifyChainResponse verified = VerifyChain(*server);
  EXPECT_FALSE(verified.ok());
  EXPECT_EQ(verified.first_bad_position(), kAltered);
  // The head of what was found good: the record before the altered one.
  EXPECT_EQ(verified.head_position(), kAltered - 1);
  EXPECT_EQ(verified.head_hash().size(), storage::kHashSize);
  ExitInfo broken = ExportAndVerify(*server, dir.path() + "/broken.export");
  EXPECT_EQ(broken.exit_code, static_cast<int>(grpc::StatusCode::DATA_LOSS));
  EXPECT_THAT(broken.output,
              HasSubstr(absl::StrCat("first_bad_position=", kAltered)));
}

TEST(AuditTest, CutExportsReportTheirRangeAndFailTheServersExpectations) {
  TempDir dir;
  SeedLog(dir.path() + "/data");
  auto server = Start(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  const coopcraft::v1::VerifyChainResponse head = VerifyChain(*server);
  ASSERT_TRUE(head.ok());
  ASSERT_EQ(head.head_position(), static_cast<uint64_t>(kEvents));
  ASSERT_EQ(head.head_hash().size(), storage::kHashSize);
  const std::string whole = dir.path() + "/whole.export";
  ASSERT_EQ(RunCli(*server, {"audit", "export", "--out=" + whole}).exit_code,
            0);
  const std::vector<std::string> expect_all = {
      "--expect_first=1", absl::StrCat("--expect_last=", head.head_position()),
      "--expect_head_hash=" + Hex(head.head_hash())};
  ExitInfo exit = VerifyFile(whole, expect_all);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;

  // Cut at the head: the chain verifies, but the output says where the file
  // starts and what it is anchored on, the server's hash of position 300.
  std::vector<coopcraft::v1::EventRecord> records = ReadExport(whole);
  ASSERT_EQ(records.size(), static_cast<size_t>(kEvents));
  const std::string head_cut = dir.path() + "/head-cut.export";
  WriteExport(head_cut, {records.begin() + 300, records.end()});
  exit = VerifyFile(head_cut);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("PARTIAL starts at position 301, anchored "
                                     "on prev_hash ",
                                     Hex(VerifyChain(*server, 300).head_hash()),
                                     ": positions 1..300 are not in the "
                                     "file")));
  EXPECT_EQ(OutputValue(exit.output, "first_position"), "301");
  exit = VerifyFile(head_cut, expect_all);
  EXPECT_EQ(exit.exit_code,
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION))
      << exit.output;
  EXPECT_THAT(
      exit.output,
      HasSubstr("MISMATCH first_position: the file has 301, expected 1"));

  // Cut at the tail: its last position and head hash are not the server's.
  const std::string tail_cut = dir.path() + "/tail-cut.export";
  WriteExport(tail_cut, {records.begin(), records.begin() + 700});
  exit = VerifyFile(tail_cut);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
  EXPECT_EQ(OutputValue(exit.output, "last_position"), "700");
  EXPECT_EQ(OutputValue(exit.output, "head_hash"),
            Hex(VerifyChain(*server, 700).head_hash()));
  exit = VerifyFile(tail_cut, {absl::StrCat("--expect_last=", kEvents)});
  EXPECT_EQ(exit.exit_code,
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION))
      << exit.output;
  EXPECT_THAT(exit.output, HasSubstr(absl::StrCat(
                               "MISMATCH last_position: the file has 700, "
                               "expected ",
                               kEvents)));
  exit = VerifyFile(tail_cut, {"--expect_head_hash=" + Hex(head.head_hash())});
  EXPECT_EQ(exit.exit_code,
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION))
      << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("MISMATCH head_hash"));
}

TEST(AuditTest, RewrittenAndRehashedExportFailsTheServersHeadHash) {
  TempDir dir;
  SeedLog(dir.path() + "/data");
  auto server = Start(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  const std::string whole = dir.path() + "/whole.export";
  ASSERT_EQ(RunCli(*server, {"audit", "export", "--out=" + whole}).exit_code,
            0);
  // The forger changes one record and re-seals every one after it.
  std::vector<coopcraft::v1::EventRecord> records = ReadExport(whole);
  ASSERT_EQ(records.size(), static_cast<size_t>(kEvents));
  (*records[kAltered - 1].mutable_payload())[0] ^= 0x01;
  for (size_t i = kAltered - 1; i < records.size(); ++i) {
    storage::SealRecord(records[i - 1].hash(), &records[i]);
  }
  const std::string forged = dir.path() + "/forged.export";
  WriteExport(forged, records);
  ExitInfo exit = VerifyFile(forged);
  EXPECT_EQ(exit.exit_code, 0) << exit.output;  // a consistent chain

  // What the server states, through the CLI as an auditor would ask it.
  ExitInfo chain = RunCli(*server, {"audit", "verify-chain"});
  ASSERT_EQ(chain.exit_code, 0) << chain.output;
  EXPECT_THAT(chain.output,
              HasSubstr(absl::StrCat("OK ", kEvents, " records")));
  EXPECT_EQ(OutputValue(chain.output, "first_position"), "1");
  EXPECT_EQ(OutputValue(chain.output, "last_position"), absl::StrCat(kEvents));
  const std::string server_head = OutputValue(chain.output, "head_hash");
  EXPECT_EQ(server_head, Hex(VerifyChain(*server).head_hash()));

  exit = VerifyFile(forged, {"--expect_head_hash=" + server_head});
  EXPECT_EQ(exit.exit_code,
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION))
      << exit.output;
  EXPECT_THAT(exit.output,
              HasSubstr(absl::StrCat("MISMATCH head_hash: the file has ",
                                     Hex(records.back().hash()), ", expected ",
                                     server_head)));
  // The genuine export passes the same check.
  exit = VerifyFile(whole, {"--expect_head_hash=" + server_head});
  EXPECT_EQ(exit.exit_code, 0) << exit.output;
}

TEST(AuditTest, ExportThatCannotBeWrittenFails) {
  TempDir dir;
  SeedLog(dir.path() + "/data");
  auto server = Start(dir.path() + "/data");
  ASSERT_NE(server, nullptr);
  // Three records fit in any stream buffer: only a checked write or flush
  // sees that the device is full.
  ExitInfo exit =
      RunCli(*server, {"audit", "export", "--out=/dev/full", "--to=3"});
  EXPECT_NE(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("/dev/full"));
  EXPECT_THAT(exit.output, Not(HasSubstr("exported")));
}

}  // namespace
}  // namespace coopcraft::testing
