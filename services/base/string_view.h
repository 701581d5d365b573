// Debian 12's Abseil is built without std::string_view aliasing, so
// absl::string_view is its own type: APIs such as absl::Status payloads,
// StrCat and heterogeneous lookup in Abseil containers need this bridge.
#ifndef COOPCRAFT_SERVICES_BASE_STRING_VIEW_H_
#define COOPCRAFT_SERVICES_BASE_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace coopcraft {

inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace coopcraft

#endif  // COOPCRAFT_SERVICES_BASE_STRING_VIEW_H_
