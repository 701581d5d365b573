// The stream and audit services on a loopback grpc::Server over a RocksDB
// log in a temp dir, for tests of subscription mechanics: events are
// appended straight to the log, which is much faster than command RPCs.
#ifndef COOPCRAFT_TESTS_INTEGRATION_STREAMS_LOOPBACK_STREAMS_H_
#define COOPCRAFT_TESTS_INTEGRATION_STREAMS_LOOPBACK_STREAMS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/channel/bearer_channel.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "services/api/audit_service.h"
#include "services/api/event_stream_service.h"
#include "services/auth/guard.h"
#include "services/auth/token_store.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {

class LoopbackStreams {
 public:
  explicit LoopbackStreams(const api::SubscriptionOptions& options) {
    storage::RocksDbEventLogOptions log_options;
    log_options.path = dir_.path() + "/log";
    auto log = storage::RocksDbEventLog::Open(log_options);
    EXPECT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    // In-memory tokens: these tests are about streams, not access control
    // (tests/integration/security covers that against coopcraftd).
    tokens_ = auth::TokenStore::InMemory();
    auto secret = auth::TokenStore::NewSecret();
    EXPECT_TRUE(secret.ok());
    token_ = *secret;
    EXPECT_TRUE(tokens_
                    ->Create("test-admin", coopcraft::v1::ROLE_ADMIN, "",
                             "loopback", token_)
                    .ok());
    guard_ = std::make_unique<auth::Guard>(tokens_.get());
    // No key store: these events carry no personal data.
    streams_ = std::make_unique<api::EventStreamService>(
        guard_.get(), log_.get(), api::PersonalDataParts{}, options);
    audit_ = std::make_unique<api::AuditService>(
        guard_.get(), log_.get(), &projections::ProjectionCatalog::Default(),
        /*trail=*/nullptr, /*pseudonymizer=*/nullptr);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(streams_.get());
    builder.RegisterService(audit_.get());
    server_ = builder.BuildAndStart();
    address_ = absl::StrCat("127.0.0.1:", port);
    channel_ = clients::BearerChannel(address_, token_);
  }
  ~LoopbackStreams() {
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_->Wait();
  }

  storage::RocksDbEventLog& log() { return *log_; }
  api::EventStreamService& service() { return *streams_; }
  std::unique_ptr<coopcraft::v1::EventStreamService::Stub> Stub() {
    return coopcraft::v1::EventStreamService::NewStub(channel_);
  }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  // A channel whose calls carry a new token of `principal`, an auditor.
  std::shared_ptr<grpc::Channel> AuditorChannel(const std::string& principal) {
    auto secret = auth::TokenStore::NewSecret();
    EXPECT_TRUE(secret.ok());
    EXPECT_TRUE(tokens_
                    ->Create(principal, coopcraft::v1::ROLE_AUDITOR, "",
                             "loopback", *secret)
                    .ok());
    return clients::BearerChannel(address_, *secret);
  }
  // A client whose flow-control window stays at its initial 64 KiB (no BDP
  // probing), so a client that stops reading stalls the server's writes.
  std::unique_ptr<coopcraft::v1::EventStreamService::Stub> SmallWindowStub() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return coopcraft::v1::EventStreamService::NewStub(clients::BearerChannel(
        address_, token_, grpc::InsecureChannelCredentials(), args));
  }

  // Appends `count` events of `type` to `stream` in calls of up to 1000,
  // each payload a StringValue "e<i>".
  void Append(const std::string& stream, const std::string& type, int count) {
    for (int done = 0; done < count;) {
      std::vector<storage::NewEvent> events;
      for (; done < count && events.size() < 1000; ++done) {
        google::protobuf::StringValue payload;
        payload.set_value(absl::StrCat("e", done));
        events.push_back({.type = type,
                          .payload = payload.SerializeAsString(),
                          .metadata = {}});
      }
      auto result = log_->Append(stream, storage::ExpectedRevision::Any(),
                                 std::move(events));
      ASSERT_TRUE(result.ok()) << result.status();
    }
  }

 private:
  TempDir dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::unique_ptr<auth::TokenStore> tokens_;
  std::string token_;
  std::unique_ptr<auth::Guard> guard_;
  std::unique_ptr<api::EventStreamService> streams_;
  std::unique_ptr<api::AuditService> audit_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// One client subscription, read synchronously.
class TestSubscriber {
 public:
  TestSubscriber(coopcraft::v1::EventStreamService::Stub* stub,
                 const coopcraft::v1::SubscribeRequest& request,
                 absl::Duration deadline = absl::Seconds(60)) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    reader_ = stub->Subscribe(&context_, request);
  }
  ~TestSubscriber() {
    if (finished_) return;
    context_.TryCancel();
    coopcraft::v1::SubscribeResponse drain;
    while (reader_->Read(&drain)) {
    }
    reader_->Finish();
  }

  // Reads until an event at `position` arrived (true) or the stream ended.
  bool ReadThrough(uint64_t position) {
    while (positions.empty() || positions.back() < position) {
      if (!Next()) return false;
    }
    return true;
  }

  // Reads one message, recording events and checkpoints; false at the end.
  bool Next() {
    coopcraft::v1::SubscribeResponse response;
    if (!reader_->Read(&response)) return false;
    for (const auto& event : response.events().events()) {
      positions.push_back(event.position());
      types.push_back(event.type());
    }
    if (response.has_checkpoint()) {
      checkpoints.push_back(response.checkpoint().next_position());
    }
    if (response.has_heartbeat()) ++heartbeats;
    last = response;
    return true;
  }

  // Call once, after Next() returned false.
  grpc::Status Finish() {
    finished_ = true;
    return reader_->Finish();
  }
  void Cancel() { context_.TryCancel(); }

  std::vector<uint64_t> positions;
  std::vector<std::string> types;
  std::vector<uint64_t> checkpoints;
  int heartbeats = 0;
  coopcraft::v1::SubscribeResponse last;

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<coopcraft::v1::SubscribeResponse>> reader_;
  bool finished_ = false;
};

// positions == first, first+1, ..., last.
inline bool IsRun(const std::vector<uint64_t>& positions, uint64_t first,
                  uint64_t last) {
  if (positions.size() != last - first + 1) return false;
  for (size_t i = 0; i < positions.size(); ++i) {
    if (positions[i] != first + i) return false;
  }
  return true;
}

inline coopcraft::v1::SubscribeRequest FromPosition(uint64_t position) {
  coopcraft::v1::SubscribeRequest request;
  request.set_from_position(position);
  return request;
}

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_INTEGRATION_STREAMS_LOOPBACK_STREAMS_H_
