// UUID parsing, formatting and generation for event ids.
#include "storage/event_id.h"

#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

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
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) {
    return absl::InternalError("OpenSSL RAND_bytes failed to generate an id");
  }
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return id;
}

}  // namespace coopcraft::storage
