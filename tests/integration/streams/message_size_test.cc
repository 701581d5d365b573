// Messages of events stay below what a default gRPC client accepts (4 MiB)
// even when the events are large: a subscription, ReadAll, ReadStream and
// ExportLog over events of 900 KB each deliver every one of them, split
// over as many messages as it takes.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/api/subscription.h"
#include "tests/integration/streams/loopback_streams.h"

namespace coopcraft::testing {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr int kEvents = 12;
// Below the log's 1 MiB per event; twelve of them are 10.8 MB, five of them
// more than a client's 4 MiB.
constexpr size_t kPayloadBytes = 900 * 1000;

// Appends the kEvents large events to stream "large" of `streams`.
void AppendLargeEvents(LoopbackStreams& streams) {
  // Three events per append keeps each call under the log's 4 MiB.
  for (int done = 0; done < kEvents;) {
    std::vector<storage::NewEvent> events;
    for (; done < kEvents && events.size() < 3; ++done) {
      events.push_back({.type = "test.Large",
                        .payload = std::string(kPayloadBytes, 'a' + done),
                        .metadata = {}});
    }
    auto appended = streams.log().Append(
        "large", storage::ExpectedRevision::Any(), std::move(events));
    ASSERT_TRUE(appended.ok()) << appended.status();
  }
}

// Checks that `events` are the appended ones, in order.
void ExpectAll(const std::vector<v1::RecordedEvent>& events) {
  ASSERT_EQ(events.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(events[i].position(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(events[i].payload().value(), std::string(kPayloadBytes, 'a' + i));
  }
}

class MessageSizeTest : public ::testing::Test {
 protected:
  void SetUp() override { AppendLargeEvents(streams_); }

  LoopbackStreams streams_{api::SubscriptionOptions{}};
};

// Subscribes `streams` from the start until kEvents events came.
void ExpectSubscriptionDeliversAll(LoopbackStreams& streams) {
  auto stub = streams.Stub();
  v1::SubscribeRequest request;
  request.set_from_start(true);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto reader = stub->Subscribe(&context, request);
  std::vector<v1::RecordedEvent> events;
  v1::SubscribeResponse response;
  int messages = 0;
  while (events.size() < kEvents && reader->Read(&response)) {
    for (const auto& event : response.events().events()) {
      events.push_back(event);
    }
    messages += response.has_events() ? 1 : 0;
  }
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  const grpc::Status status = reader->Finish();
  EXPECT_NE(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  ExpectAll(events);
  EXPECT_GE(messages, 4);
}

TEST_F(MessageSizeTest, SubscriptionDeliversEveryLargeEvent) {
  ExpectSubscriptionDeliversAll(streams_);
}

// The same from the log, the tail cache off.
TEST(MessageSizeFromLogTest, SubscriptionDeliversEveryLargeEvent) {
  LoopbackStreams streams(api::SubscriptionOptions{.tail_cache_events = 0});
  AppendLargeEvents(streams);
  ExpectSubscriptionDeliversAll(streams);
}

// The events of every page `read` returns for `request`, following
// next_page_token (at most kEvents pages: each holds at least one event).
template <typename Response, typename Request, typename ReadFn>
std::vector<v1::RecordedEvent> AllPages(Request request, ReadFn read) {
  std::vector<v1::RecordedEvent> events;
  for (int pages = 0; pages < kEvents; ++pages) {
    grpc::ClientContext context;
    Response response;
    const grpc::Status status = read(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    events.insert(events.end(), response.events().begin(),
                  response.events().end());
    if (!status.ok() || response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return events;
}

TEST_F(MessageSizeTest, ReadAllPagesThroughLargeEvents) {
  auto stub = streams_.Stub();
  v1::ReadAllRequest request;
  request.set_from_position(1);
  request.set_page_size(100);
  ExpectAll(AllPages<v1::ReadAllResponse>(
      request, [&](grpc::ClientContext* context, const auto& page,
                   v1::ReadAllResponse* response) {
        return stub->ReadAll(context, page, response);
      }));
}

TEST_F(MessageSizeTest, ReadStreamPagesThroughLargeEvents) {
  auto stub = streams_.Stub();
  v1::ReadStreamRequest request;
  request.set_stream("large");
  request.set_direction(v1::READ_DIRECTION_FORWARDS);
  request.set_page_size(100);
  ExpectAll(AllPages<v1::ReadStreamResponse>(
      request, [&](grpc::ClientContext* context, const auto& page,
                   v1::ReadStreamResponse* response) {
        return stub->ReadStream(context, page, response);
      }));
}

TEST_F(MessageSizeTest, ExportStreamsEveryLargeRecord) {
  auto stub =
      v1::AuditService::NewStub(streams_.AuditorChannel("test-auditor"));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::ExportLogRequest request;
  auto reader = stub->ExportLog(&context, request);
  std::vector<std::string> payloads;
  v1::ExportLogResponse response;
  while (reader->Read(&response)) {
    for (const auto& record : response.records()) {
      payloads.push_back(record.payload());
    }
  }
  const grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(payloads.size(), static_cast<size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(payloads[i], std::string(kPayloadBytes, 'a' + i));
  }
}

}  // namespace
}  // namespace coopcraft::testing
