// Builders and matchers shared by the storage unit tests.
#ifndef COOPCRAFT_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_
#define COOPCRAFT_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "storage/event_log.h"

namespace coopcraft::storage::testing {

// Matches an absl::Status or absl::StatusOr<T> with this code.
MATCHER_P(StatusIs, code,
          std::string("status code is ") + absl::StatusCodeToString(code)) {
  absl::Status status = [&] {
    if constexpr (std::is_same_v<std::decay_t<arg_type>, absl::Status>) {
      return arg;
    } else {
      return arg.status();
    }
  }();
  *result_listener << "status is " << status;
  return status.code() == code;
}

// Matches a status whose message contains `text`.
MATCHER_P2(StatusIsWith, code, text, "") {
  absl::Status status = [&] {
    if constexpr (std::is_same_v<std::decay_t<arg_type>, absl::Status>) {
      return arg;
    } else {
      return arg.status();
    }
  }();
  *result_listener << "status is " << status;
  return status.code() == code &&
         status.message().find(text) != absl::string_view::npos;
}

inline NewEvent Event(std::string payload = "payload",
                      std::string type = "coopcraft.test.Happened",
                      std::string event_id = "") {
  return NewEvent{.event_id = std::move(event_id),
                  .type = std::move(type),
                  .payload = std::move(payload)};
}

// One event per payload, with generated ids.
inline std::vector<NewEvent> Events(std::vector<std::string> payloads) {
  std::vector<NewEvent> events;
  for (std::string& payload : payloads) events.push_back(Event(payload));
  return events;
}

inline std::vector<std::string> Payloads(
    const std::vector<coopcraft::v1::EventRecord>& records) {
  std::vector<std::string> payloads;
  for (const auto& record : records) payloads.push_back(record.payload());
  return payloads;
}

inline std::vector<uint64_t> Positions(
    const std::vector<coopcraft::v1::EventRecord>& records) {
  std::vector<uint64_t> positions;
  for (const auto& record : records) positions.push_back(record.position());
  return positions;
}

}  // namespace coopcraft::storage::testing

#endif  // COOPCRAFT_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_
