// The real coopcraftd: subscribe over its log, VerifyChain, and the offline
// verifier of an export (the coopcraft CLI) naming the same first bad
// position after one stored record was altered behind the server's back.
#include <grpcpp/grpcpp.h>
#include <rocksdb/db.h>
#include <signal.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "storage/stored_record.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::testing::HasSubstr;

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

coopcraft::v1::VerifyChainResponse VerifyChain(const ServerProcess& server) {
  grpc::ClientContext context;
  coopcraft::v1::VerifyChainResponse response;
  grpc::Status status = coopcraft::v1::AuditService::NewStub(server.Channel())
                            ->VerifyChain(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
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
  ExitInfo broken = ExportAndVerify(*server, dir.path() + "/broken.export");
  EXPECT_EQ(broken.exit_code, static_cast<int>(grpc::StatusCode::DATA_LOSS));
  EXPECT_THAT(broken.output,
              HasSubstr(absl::StrCat("first_bad_position=", kAltered)));
}

}  // namespace
}  // namespace coopcraft::testing
