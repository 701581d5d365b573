// Deterministic event ids from request ids.
#include "services/app/request_ids.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/base/sha256.h"
#include "storage/event_id.h"

namespace coopcraft::app {

std::string EventIdForRequest(std::string_view request_id, size_t index) {
  const std::string input =
      absl::StrCat("coopcraft.request/",
                   absl::AsciiStrToLower(std::string(request_id)), "/", index);
  const Sha256Digest digest = Sha256({input});
  storage::EventIdBytes id;
  std::copy_n(digest.begin(), id.size(), id.begin());
  // A version 7 request id lends its 48-bit millisecond prefix.
  if (absl::StatusOr<storage::EventIdBytes> uuid =
          storage::ParseEventId(request_id);
      uuid.ok() && ((*uuid)[6] >> 4) == 7) {
    std::copy_n(uuid->begin(), 6, id.begin());
  }
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x80);
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);
  return storage::FormatEventId(id);
}

}  // namespace coopcraft::app
