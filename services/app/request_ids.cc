// Deterministic event ids from request ids.
#include "services/app/request_ids.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/base/sha256.h"

namespace coopcraft::app {

std::string EventIdForRequest(std::string_view request_id, size_t index) {
  const std::string input =
      absl::StrCat("coopcraft.request/",
                   absl::AsciiStrToLower(std::string(request_id)), "/", index);
  Sha256Digest digest = Sha256({input});
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
