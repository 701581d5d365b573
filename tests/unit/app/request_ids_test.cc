#include "services/app/request_ids.h"

#include <gtest/gtest.h>

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

TEST(EventIdForRequestTest, IgnoresTheCaseOfTheRequestId) {
  EXPECT_EQ(EventIdForRequest("REQ-0001", 0), EventIdForRequest("req-0001", 0));
}

TEST(EventIdForRequestTest, DiffersByRequestAndIndex) {
  EXPECT_NE(EventIdForRequest("req-0001", 0), EventIdForRequest("req-0002", 0));
  EXPECT_NE(EventIdForRequest("req-0001", 0), EventIdForRequest("req-0001", 2));
}

}  // namespace
}  // namespace coopcraft::app
