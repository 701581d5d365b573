// Deterministic event ids from request ids.
#include "services/app/request_ids.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/base/sha256.h"

namespace coopcraft::app {
namespace {

// The value of one hex digit; -1 for any other character.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Writes the 48-bit timestamp of a version 7 UUID in 8-4-4-4-12 text into
// `out` (6 bytes) and returns true; false, leaving `out` alone, for any
// other text. The timestamp is the first 12 hex digits (around the first
// hyphen); the version is the digit after the second hyphen.
bool CopyV7Timestamp(std::string_view uuid, unsigned char* out) {
  if (uuid.size() != 36 || uuid[8] != '-' || uuid[13] != '-' ||
      uuid[14] != '7') {
    return false;
  }
  unsigned char bytes[6];
  size_t digit = 0;
  for (size_t i = 0; i < 13; ++i) {
    if (i == 8) continue;
    const int value = HexValue(uuid[i]);
    if (value < 0) return false;
    if (digit % 2 == 0) {
      bytes[digit / 2] = static_cast<unsigned char>(value << 4);
    } else {
      bytes[digit / 2] |= static_cast<unsigned char>(value);
    }
    ++digit;
  }
  std::copy(bytes, bytes + 6, out);
  return true;
}

}  // namespace

std::string EventIdForRequest(std::string_view request_id, size_t index) {
  const std::string input =
      absl::StrCat("coopcraft.request/",
                   absl::AsciiStrToLower(std::string(request_id)), "/", index);
  Sha256Digest digest = Sha256({input});
  CopyV7Timestamp(request_id, digest.data());
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex.push_back('-');
    hex.push_back(kHexDigits[digest[i] >> 4]);
    hex.push_back(kHexDigits[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace coopcraft::app
