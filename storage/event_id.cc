// UUID parsing, formatting and generation for event ids.
#include "storage/event_id.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/base/status_macros.h"

namespace coopcraft::storage {
namespace {

// Offsets of the dashes in 8-4-4-4-12 text.
constexpr bool IsDashOffset(size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Bumped in every child process forked from this one, so that a child never
// hands out random bytes its parent already buffered.
std::atomic<uint64_t> fork_generation{0};

// Bytes from OpenSSL's CSPRNG, drawn a few kilobytes at a time per thread:
// one RAND_bytes call per id cost more than the rest of an append's id
// handling.
absl::Status TakeRandomBytes(uint8_t* out, size_t count) {
  static std::once_flag register_fork_handler;
  std::call_once(register_fork_handler, [] {
    pthread_atfork(nullptr, nullptr, [] {
      fork_generation.fetch_add(1, std::memory_order_relaxed);
    });
  });
  struct Buffer {
    std::array<uint8_t, 4096> bytes;
    size_t used = bytes.size();
    uint64_t generation = 0;
  };
  thread_local Buffer buffer;
  const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (buffer.generation != generation ||
      buffer.used + count > buffer.bytes.size()) {
    if (RAND_bytes(buffer.bytes.data(),
                   static_cast<int>(buffer.bytes.size())) != 1) {
      return absl::InternalError("OpenSSL RAND_bytes failed to generate an id");
    }
    buffer.used = 0;
    buffer.generation = generation;
  }
  std::memcpy(out, buffer.bytes.data() + buffer.used, count);
  buffer.used += count;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EventIdBytes> ParseEventId(std::string_view text) {
  auto invalid = [&] {
    // The text is client input of bounded interest: cut it so a huge value
    // cannot blow up the message.
    return absl::InvalidArgumentError(
        absl::StrCat("event_id \"", std::string(text.substr(0, 40)),
                     "\" is not a UUID (8-4-4-4-12 hexadecimal digits)"));
  };
  if (text.size() != 36) return invalid();
  EventIdBytes id{};
  size_t nibble = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsDashOffset(i)) {
      if (text[i] != '-') return invalid();
      continue;
    }
    int value = HexValue(text[i]);
    if (value < 0) return invalid();
    id[nibble / 2] |=
        static_cast<uint8_t>(nibble % 2 == 0 ? value << 4 : value);
    ++nibble;
  }
  return id;
}

std::string FormatEventId(const EventIdBytes& id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kDigits[id[i] >> 4]);
    text.push_back(kDigits[id[i] & 0x0f]);
  }
  return text;
}

absl::StatusOr<EventIdBytes> GenerateEventId() {
  EventIdBytes id;
  // 48 bits of Unix milliseconds, then 12 bits of the fraction of the
  // millisecond (RFC 9562 §6.2, method 3).
  const int64_t micros = absl::ToUnixMicros(absl::Now());
  const uint64_t millis = static_cast<uint64_t>(micros / 1000);
  const uint32_t fraction = static_cast<uint32_t>(micros % 1000) * 4096 / 1000;
  for (int i = 0; i < 6; ++i) {
    id[i] = static_cast<uint8_t>(millis >> (8 * (5 - i)));
  }
  id[6] = static_cast<uint8_t>(0x70 | (fraction >> 8));  // version 7
  id[7] = static_cast<uint8_t>(fraction);
  RETURN_IF_ERROR(TakeRandomBytes(&id[8], 8));
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 9562 variant
  return id;
}

}  // namespace coopcraft::storage
