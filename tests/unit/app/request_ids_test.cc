#include "services/app/request_ids.h"

#include <gtest/gtest.h>

#include <string>

namespace coopcraft::app {
namespace {

// Stored events carry these ids and a retried command is recognised by
// them, so they must never change. The expected values were computed
// independently from the definition in request_ids.h (Python's hashlib:
// the first 16 bytes of SHA-256("coopcraft.request/req-0001/0"), version
// nibble 8, variant bits 10).
TEST(EventIdForRequestTest, IsTheDocumentedUuidOfTheRequestAndIndex) {
  EXPECT_EQ(EventIdForRequest("req-0001", 0),
            "b875d041-95dc-8cf9-9b24-e0790919ff7d");
  EXPECT_EQ(EventIdForRequest("req-0001", 1),
            "bc725b95-ddf5-8c3f-bb6d-f93d7db52e44");
}

// A version 4 request id gets the digest alone, like any other text.
TEST(EventIdForRequestTest, ARandomRequestIdGetsTheDigestAlone) {
  EXPECT_EQ(EventIdForRequest("123e4567-e89b-42d3-a456-426614174000", 0),
            "c169ffa9-923c-8e42-9abb-b8052a29a787");
}

// A version 7 request id lends its 48-bit millisecond prefix; the rest is
// the digest's (computed as above, then the first 6 bytes replaced).
TEST(EventIdForRequestTest, ATimeOrderedRequestIdLendsItsTimestamp) {
  EXPECT_EQ(EventIdForRequest("0192f3a4-5b6c-7d8e-9f01-23456789abcd", 0),
            "0192f3a4-5b6c-85aa-bf89-0c01f61f533a");
  EXPECT_EQ(EventIdForRequest("0192F3A4-5B6C-7D8E-9F01-23456789ABCD", 1),
            "0192f3a4-5b6c-8eec-ba19-c27805941b7d");
}

// What the timestamp is for: commands sent later get ids that sort later,
// whatever their random bits, so the event-id index grows at its end.
TEST(EventIdForRequestTest, LaterTimeOrderedRequestsGetLaterIds) {
  const std::string earlier =
      EventIdForRequest("0192f3a4-5b6c-7fff-bfff-ffffffffffff", 3);
  const std::string later =
      EventIdForRequest("0192f3a4-5b6d-7000-8000-000000000000", 0);
  EXPECT_LT(earlier, later);
}

TEST(EventIdForRequestTest, IgnoresTheCaseOfTheRequestId) {
  EXPECT_EQ(EventIdForRequest("REQ-0001", 0), EventIdForRequest("req-0001", 0));
}

TEST(EventIdForRequestTest, DiffersByRequestAndIndex) {
  EXPECT_NE(EventIdForRequest("req-0001", 0), EventIdForRequest("req-0002", 0));
  EXPECT_NE(EventIdForRequest("req-0001", 0), EventIdForRequest("req-0001", 2));
}

}  // namespace
}  // namespace coopcraft::app
