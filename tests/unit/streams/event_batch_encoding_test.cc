// EventBatchEncoder: a response joined from entries encoded apart is
// byte-for-byte the response protobuf would serialise, whatever mix of
// shared entries and events encoded in place it holds.
#include "services/api/event_batch_encoding.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace coopcraft::api {
namespace {

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// An event whose payload is `payload_bytes` long, so that lengths need one,
// two or three varint bytes.
v1::RecordedEvent MakeEvent(uint64_t position, size_t payload_bytes) {
  v1::RecordedEvent event;
  event.set_position(position);
  event.set_stream(absl::StrCat("project-", position % 3));
  event.set_revision(position / 3);
  event.set_event_id(absl::StrCat("id-", position));
  event.set_type("coopcraft.v1.ActionLogged");
  event.mutable_recorded_at()->set_seconds(1700000000 + position);
  event.mutable_metadata()->set_actor("coach-1");
  event.mutable_payload()->set_type_url(
      "type.googleapis.com/coopcraft.v1.ActionLogged");
  event.mutable_payload()->set_value(std::string(payload_bytes, 'p'));
  return event;
}

TEST(EventBatchEncoderTest, JoinsSharedAndOwnEntriesExactlyAsProtobufWould) {
  const std::vector<v1::RecordedEvent> events = {
      MakeEvent(1, 10), MakeEvent(2, 300), MakeEvent(3, 20000),
      MakeEvent(4, 0),  MakeEvent(5, 127), MakeEvent(6, 70)};
  v1::SubscribeResponse expected;
  for (const auto& event : events) {
    *expected.mutable_events()->add_events() = event;
  }
  // Shared, own, own, shared, shared, own: both kinds next to each other.
  EventBatchEncoder encoder;
  encoder.AddEntry(EncodeBatchEntry(events[0]));
  encoder.Add(events[1]);
  encoder.Add(events[2]);
  encoder.AddEntry(EncodeBatchEntry(events[3]));
  encoder.AddEntry(EncodeBatchEntry(events[4]));
  encoder.Add(events[5]);
  EXPECT_EQ(encoder.events(), events.size());

  const std::string bytes = BytesOf(encoder.Take());
  EXPECT_EQ(bytes, expected.SerializeAsString());
  v1::SubscribeResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  ASSERT_EQ(parsed.events().events_size(), 6);
  EXPECT_EQ(parsed.events().events(2).payload().value().size(), 20000u);
}

TEST(EventBatchEncoderTest, TakeEmptiesTheEncoderAndEntriesStayShareable) {
  const v1::RecordedEvent first = MakeEvent(7, 40);
  const v1::RecordedEvent second = MakeEvent(8, 40);
  const grpc::Slice shared = EncodeBatchEntry(first);

  EventBatchEncoder encoder;
  encoder.AddEntry(shared);
  encoder.Add(second);
  const std::string one = BytesOf(encoder.Take());
  EXPECT_EQ(encoder.events(), 0u);

  // The same shared entry in a second message, alone this time.
  encoder.AddEntry(shared);
  const std::string two = BytesOf(encoder.Take());
  v1::SubscribeResponse expected_two;
  *expected_two.mutable_events()->add_events() = first;
  EXPECT_EQ(two, expected_two.SerializeAsString());

  v1::SubscribeResponse parsed_one;
  ASSERT_TRUE(parsed_one.ParseFromString(one));
  ASSERT_EQ(parsed_one.events().events_size(), 2);
  EXPECT_EQ(parsed_one.events().events(0).position(), 7u);
  EXPECT_EQ(parsed_one.events().events(1).position(), 8u);
}

TEST(SerializeResponseTest, CheckpointsAndHeartbeatsAreTheirProtobufBytes) {
  v1::SubscribeResponse checkpoint;
  checkpoint.mutable_checkpoint()->set_next_position(123456789);
  EXPECT_EQ(BytesOf(SerializeResponse(checkpoint)),
            checkpoint.SerializeAsString());
  v1::SubscribeResponse heartbeat;
  heartbeat.mutable_heartbeat()->set_head_position(42);
  EXPECT_EQ(BytesOf(SerializeResponse(heartbeat)),
            heartbeat.SerializeAsString());
}

}  // namespace
}  // namespace coopcraft::api
