// ReadStream and ReadAll over a loopback server: directions, pagination
// with opaque tokens, filters, and INVALID_ARGUMENT naming the field; the
// loopback audit service's position ranges likewise.
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/streams/loopback_streams.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

using ::coopcraft::v1::ReadAllRequest;
using ::coopcraft::v1::ReadAllResponse;
using ::coopcraft::v1::ReadStreamRequest;
using ::coopcraft::v1::ReadStreamResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// Every page of ReadStream; revisions in the order received.
std::vector<uint64_t> ReadStreamPages(
    coopcraft::v1::EventStreamService::Stub* stub, ReadStreamRequest request,
    int* pages) {
  std::vector<uint64_t> revisions;
  *pages = 0;
  while (true) {
    grpc::ClientContext context;
    ReadStreamResponse response;
    grpc::Status status = stub->ReadStream(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    ++*pages;
    for (const auto& event : response.events()) {
      revisions.push_back(event.revision());
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return revisions;
}

TEST(ReadTest, ReadStreamForwardsPagesThroughEveryRevision) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 5);
  streams.Append("project-2", "t.A", 3);
  auto stub = streams.Stub();
  ReadStreamRequest request;
  request.set_stream("project-1");
  request.set_direction(coopcraft::v1::READ_DIRECTION_FORWARDS);
  request.set_page_size(2);
  int pages = 0;
  EXPECT_THAT(ReadStreamPages(stub.get(), request, &pages),
              ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(pages, 3);
}

TEST(ReadTest, ReadStreamBackwardsFromEndPagesToRevisionZero) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 5);
  auto stub = streams.Stub();
  ReadStreamRequest request;
  request.set_stream("project-1");
  request.set_direction(coopcraft::v1::READ_DIRECTION_BACKWARDS);
  request.set_page_size(2);
  int pages = 0;
  EXPECT_THAT(ReadStreamPages(stub.get(), request, &pages),
              ElementsAre(4, 3, 2, 1, 0));
}

TEST(ReadTest, ReadStreamBackwardsFromARevision) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 5);
  auto stub = streams.Stub();
  ReadStreamRequest request;
  request.set_stream("project-1");
  request.set_direction(coopcraft::v1::READ_DIRECTION_BACKWARDS);
  request.set_from_revision(2);
  int pages = 0;
  EXPECT_THAT(ReadStreamPages(stub.get(), request, &pages),
              ElementsAre(2, 1, 0));
}

TEST(ReadTest, ReadAllFiltersAndPagesToTheHead) {
  LoopbackStreams streams({});
  streams.Append("cohort-1", "t.A", 3);
  streams.Append("project-1", "t.B", 4);
  streams.Append("cohort-2", "t.B", 2);
  auto stub = streams.Stub();
  ReadAllRequest request;
  request.mutable_filter()->set_stream_prefix("cohort-");
  request.set_page_size(2);
  std::vector<uint64_t> positions;
  uint64_t next_position = 0;
  while (true) {
    grpc::ClientContext context;
    ReadAllResponse response;
    ASSERT_TRUE(stub->ReadAll(&context, request, &response).ok());
    for (const auto& event : response.events()) {
      positions.push_back(event.position());
    }
    next_position = response.next_position();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(positions, ElementsAre(1, 2, 3, 8, 9));
  EXPECT_EQ(next_position, 10u);
}

TEST(ReadTest, OversizePageIsInvalidArgumentNamingPageSize) {
  LoopbackStreams streams({});
  auto stub = streams.Stub();
  grpc::ClientContext context;
  ReadAllRequest request;
  request.set_page_size(5000);
  ReadAllResponse response;
  grpc::Status status = stub->ReadAll(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
}

TEST(ReadTest, TokenOfAnotherStreamIsInvalidArgumentNamingPageToken) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 3);
  auto stub = streams.Stub();
  ReadStreamRequest request;
  request.set_stream("project-1");
  request.set_direction(coopcraft::v1::READ_DIRECTION_FORWARDS);
  request.set_page_size(1);
  ReadStreamResponse first;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->ReadStream(&context, request, &first).ok());
  }
  request.set_stream("project-2");
  request.set_page_token(first.next_page_token());
  grpc::ClientContext context;
  ReadStreamResponse response;
  grpc::Status status = stub->ReadStream(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
}

TEST(ReadTest, MissingDirectionIsInvalidArgumentNamingIt) {
  LoopbackStreams streams({});
  auto stub = streams.Stub();
  grpc::ClientContext context;
  ReadStreamRequest request;
  request.set_stream("project-1");
  ReadStreamResponse response;
  grpc::Status status = stub->ReadStream(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("direction"));
}

TEST(ReadTest, BadReadFieldsAreNamedInBadRequest) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 3);
  auto stub = streams.Stub();
  ReadStreamRequest read_stream;
  read_stream.set_stream("project 1");
  read_stream.set_direction(coopcraft::v1::READ_DIRECTION_FORWARDS);
  read_stream.set_page_size(-1);
  ReadStreamResponse stream_response;
  grpc::ClientContext stream_context;
  grpc::Status status =
      stub->ReadStream(&stream_context, read_stream, &stream_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status),
              UnorderedElementsAre("stream", "page_size"));

  // A prefix no stream id can start with would silently match nothing.
  ReadAllRequest read_all;
  read_all.mutable_filter()->set_stream_prefix("project/");
  read_all.mutable_filter()->add_event_types("");
  read_all.set_page_token("garbage");
  ReadAllResponse all_response;
  grpc::ClientContext all_context;
  status = stub->ReadAll(&all_context, read_all, &all_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status),
              UnorderedElementsAre("filter.stream_prefix",
                                   "filter.event_types[0]", "page_token"));
}

TEST(ReadTest, AnInvertedAuditRangeIsInvalidArgumentNamingToPosition) {
  LoopbackStreams streams({});
  streams.Append("project-1", "t.A", 5);
  auto audit = coopcraft::v1::AuditService::NewStub(streams.channel());
  coopcraft::v1::VerifyChainRequest verify;
  verify.set_from_position(4);
  verify.set_to_position(2);
  coopcraft::v1::VerifyChainResponse verified;
  grpc::ClientContext verify_context;
  grpc::Status status = audit->VerifyChain(&verify_context, verify, &verified);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status), ElementsAre("to_position"));

  coopcraft::v1::ExportLogRequest export_request;
  export_request.set_from_position(4);
  export_request.set_to_position(2);
  grpc::ClientContext export_context;
  auto reader = audit->ExportLog(&export_context, export_request);
  coopcraft::v1::ExportLogResponse exported;
  EXPECT_FALSE(reader->Read(&exported));
  status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(status), ElementsAre("to_position"));
}

}  // namespace
}  // namespace coopcraft::testing
