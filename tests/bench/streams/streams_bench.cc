// Subscription benchmark: append-to-delivery latency with many live
// subscribers at a fixed event rate, and catch-up speed of one subscriber
// over gRPC beside ReadAll in-process on the same log.
//
//   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release
//   ninja -C build-release streams_bench
//   build-release/tests/bench/streams/streams_bench --subscribers=50
//       --rate=5000 --seconds=5 --catchup_events=200000   (one line)
//
// Latency runs from just before Append (so it includes the group commit's
// fsync) to the moment a subscriber's client code has the event.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "clients/channel/bearer_channel.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "services/api/event_stream_service.h"
#include "services/auth/guard.h"
#include "services/auth/token_store.h"
#include "services/base/mutex_mode.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

ABSL_FLAG(int, subscribers, 50, "live subscribers in the latency run");
ABSL_FLAG(int, rate, 5000, "events per second appended in the latency run");
ABSL_FLAG(int, seconds, 5, "length of the latency run");
ABSL_FLAG(int, writers, 16, "threads appending one event each, paced");
ABSL_FLAG(int, catchup_events, 200000, "log size for the catch-up run");
ABSL_FLAG(std::string, client, "reactors",
          "how the latency run's subscribers read: \"reactors\" (gRPC "
          "callback reactors, served by gRPC's own threads, as a dashboard "
          "multiplexing many streams would) or \"threads\" (one blocking "
          "reader thread per subscriber)");
ABSL_FLAG(int, tail_cache_events, 8192,
          "SubscriptionOptions::tail_cache_events (0: every subscriber reads "
          "the log itself)");

namespace coopcraft {
namespace {

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Server {
  explicit Server(const std::string& path) {
    storage::RocksDbEventLogOptions options;
    options.path = path;
    log = std::move(*storage::RocksDbEventLog::Open(options));
    api::SubscriptionOptions subscriptions;
    subscriptions.max_subscribers = 1000;
    subscriptions.tail_cache_events =
        static_cast<size_t>(absl::GetFlag(FLAGS_tail_cache_events));
    // In-memory tokens: the bench measures streaming, not authentication
    // (each call's token check is one hash and one map lookup).
    tokens = auth::TokenStore::InMemory();
    token = *auth::TokenStore::NewSecret();
    (void)tokens->Create("bench", coopcraft::v1::ROLE_COACH, "", "bench",
                         token);
    guard = std::make_unique<auth::Guard>(tokens.get());
    service = std::make_unique<api::EventStreamService>(
        guard.get(), log.get(), api::PersonalDataParts{}, subscriptions);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
  }
  ~Server() {
    server->Shutdown(absl::ToChronoTime(absl::Now()));
    server->Wait();
  }
  std::shared_ptr<grpc::Channel> NewChannel() const {
    grpc::ChannelArguments args;
    // A channel of its own per subscriber group, not one shared connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return clients::BearerChannel(absl::StrCat("127.0.0.1:", port), token,
                                  grpc::InsecureChannelCredentials(), args);
  }
  std::unique_ptr<storage::RocksDbEventLog> log;
  std::unique_ptr<auth::TokenStore> tokens;
  std::string token;
  std::unique_ptr<auth::Guard> guard;
  std::unique_ptr<api::EventStreamService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// Appends the append-to-delivery latency of every event in `response`,
// received at `now`; the payload's first 8 bytes are its send time.
void RecordLatencies(const coopcraft::v1::SubscribeResponse& response,
                     int64_t now, std::vector<int64_t>& out) {
  for (const auto& event : response.events().events()) {
    int64_t sent = 0;
    std::memcpy(&sent, event.payload().value().data(), sizeof(sent));
    out.push_back(now - sent);
  }
}

// One subscriber read through the callback API: each message is handled on
// a gRPC client thread, so 50 subscribers do not need 50 threads to wake.
class LatencyReader final
    : public grpc::ClientReadReactor<coopcraft::v1::SubscribeResponse> {
 public:
  LatencyReader(coopcraft::v1::EventStreamService::Stub& stub, uint64_t total,
                absl::Time deadline)
      : total_(total) {
    latencies_.reserve(total);
    context_.set_deadline(absl::ToChronoTime(deadline));
    request_.set_from_position(1);
    stub.async()->Subscribe(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    RecordLatencies(response_, NowNanos(), latencies_);
    if (latencies_.size() >= total_) {
      context_.TryCancel();
      return;
    }
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& /*status*/) override { done_.Notify(); }

  // The latencies, once the stream ended.
  std::vector<int64_t> Await() {
    done_.WaitForNotification();
    return std::move(latencies_);
  }

 private:
  const uint64_t total_;
  grpc::ClientContext context_;
  coopcraft::v1::SubscribeRequest request_;
  coopcraft::v1::SubscribeResponse response_;
  std::vector<int64_t> latencies_;
  absl::Notification done_;
};

double Percentile(std::vector<int64_t>& values, double p) {
  if (values.empty()) return 0;
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  std::nth_element(values.begin(), values.begin() + index, values.end());
  return values[index] / 1e6;
}

void LatencyRun(const std::string& dir) {
  Server server(dir + "/latency");
  const int subscribers = absl::GetFlag(FLAGS_subscribers);
  const int rate = absl::GetFlag(FLAGS_rate);
  const int writers = absl::GetFlag(FLAGS_writers);
  // A whole number of events per writer, so readers know when all arrived.
  const uint64_t total = static_cast<uint64_t>(rate) *
                         absl::GetFlag(FLAGS_seconds) / writers * writers;

  absl::Mutex mutex;
  std::vector<int64_t> latencies;
  // Append to acknowledgement (the group commit's fsync included): the part
  // of the delivery latency that is the log's, not the subscriptions'.
  std::vector<int64_t> ack_latencies;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 8; ++i) channels.push_back(server.NewChannel());
  const absl::Time deadline =
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds) + 30);
  auto keep = [&](const std::vector<int64_t>& mine) {
    absl::MutexLock lock(&mutex);
    latencies.insert(latencies.end(), mine.begin(), mine.end());
  };
  std::vector<std::thread> readers;
  std::vector<std::unique_ptr<LatencyReader>> reactors;
  const bool use_reactors = absl::GetFlag(FLAGS_client) == "reactors";
  for (int s = 0; s < subscribers; ++s) {
    auto stub = coopcraft::v1::EventStreamService::NewStub(channels[s % 8]);
    if (use_reactors) {
      reactors.push_back(
          std::make_unique<LatencyReader>(*stub, total, deadline));
      continue;
    }
    readers.emplace_back([&, stub = std::move(stub)] {
      grpc::ClientContext context;
      // Ends a reader that misses events instead of hanging the run.
      context.set_deadline(absl::ToChronoTime(deadline));
      coopcraft::v1::SubscribeRequest request;
      request.set_from_position(1);
      auto reader = stub->Subscribe(&context, request);
      std::vector<int64_t> mine;
      mine.reserve(total);
      coopcraft::v1::SubscribeResponse response;
      while (mine.size() < total && reader->Read(&response)) {
        RecordLatencies(response, NowNanos(), mine);
      }
      context.TryCancel();
      while (reader->Read(&response)) {
      }
      reader->Finish();
      keep(mine);
    });
  }
  while (server.service->active_subscriptions() <
         static_cast<size_t>(subscribers)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  std::vector<std::thread> appenders;
  const int64_t start = NowNanos();
  const double period_ns = 1e9 * writers / rate;
  for (int w = 0; w < writers; ++w) {
    appenders.emplace_back([&, w] {
      std::vector<int64_t> acks;
      acks.reserve(total / writers);
      for (uint64_t i = 0; i < total / writers; ++i) {
        const int64_t due =
            start +
            static_cast<int64_t>(period_ns * i + period_ns * w / writers);
        const int64_t wait = due - NowNanos();
        if (wait > 0) absl::SleepFor(absl::Nanoseconds(wait));
        storage::NewEvent event;
        event.type = "bench.Latency";
        const int64_t sent = NowNanos();
        event.payload.assign(reinterpret_cast<const char*>(&sent),
                             sizeof(sent));
        std::vector<storage::NewEvent> events;
        events.push_back(std::move(event));
        (void)server.log->Append(absl::StrCat("bench-", w),
                                 storage::ExpectedRevision::Any(),
                                 std::move(events));
        acks.push_back(NowNanos() - sent);
      }
      absl::MutexLock lock(&mutex);
      ack_latencies.insert(ack_latencies.end(), acks.begin(), acks.end());
    });
  }
  for (auto& appender : appenders) appender.join();
  const double elapsed = (NowNanos() - start) / 1e9;
  for (auto& reader : readers) reader.join();
  for (auto& reactor : reactors) keep(reactor->Await());
  std::printf(
      "latency (%s): tail cache %d, %d subscribers, %llu events in %.2f s "
      "(%.0f "
      "events/s "
      "offered %d), %zu deliveries: append-to-delivery p50 %.2f ms, p99 "
      "%.2f ms, max %.2f ms\n",
      use_reactors ? "client reactors" : "client threads",
      absl::GetFlag(FLAGS_tail_cache_events), subscribers,
      static_cast<unsigned long long>(total / writers * writers), elapsed,
      (total / writers * writers) / elapsed, rate, latencies.size(),
      Percentile(latencies, 0.50), Percentile(latencies, 0.99),
      Percentile(latencies, 0.99999));
  std::printf("  append acknowledged: p50 %.2f ms, p99 %.2f ms\n",
              Percentile(ack_latencies, 0.50), Percentile(ack_latencies, 0.99));
}

void CatchUpRun(const std::string& dir) {
  Server server(dir + "/catchup");
  const int count = absl::GetFlag(FLAGS_catchup_events);
  for (int done = 0; done < count;) {
    std::vector<storage::NewEvent> events;
    for (; done < count && events.size() < 1000; ++done) {
      events.push_back({.type = "bench.CatchUp",
                        .payload = std::string(100, 'x'),
                        .metadata = {}});
    }
    (void)server.log->Append(absl::StrCat("stream-", done % 97),
                             storage::ExpectedRevision::Any(),
                             std::move(events));
  }

  int64_t start = NowNanos();
  uint64_t read = 0;
  storage::ReadAllOptions options;
  options.max_count = 512;
  while (options.from_position <= static_cast<uint64_t>(count)) {
    auto result = server.log->ReadAll(options);
    read += result->events.size();
    options.from_position = result->next_position;
  }
  const double in_process = read / ((NowNanos() - start) / 1e9);

  start = NowNanos();
  auto stub = coopcraft::v1::EventStreamService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  coopcraft::v1::SubscribeRequest request;
  request.set_from_start(true);
  auto reader = stub->Subscribe(&context, request);
  coopcraft::v1::SubscribeResponse response;
  uint64_t delivered = 0;
  while (delivered < static_cast<uint64_t>(count) && reader->Read(&response)) {
    delivered += response.events().events_size();
  }
  const double over_grpc = delivered / ((NowNanos() - start) / 1e9);
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  reader->Finish();
  std::printf(
      "catch-up: %d events of 100 B: one subscriber over gRPC %.0f events/s; "
      "ReadAll in-process (pages of 512) %.0f events/s\n",
      count, over_grpc, in_process);
  std::fflush(stdout);
}

}  // namespace
}  // namespace coopcraft

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  absl::ParseCommandLine(argc, argv);
  coopcraft::testing::TempDir dir;
  coopcraft::CatchUpRun(dir.path());
  coopcraft::LatencyRun(dir.path());
  return 0;
}
