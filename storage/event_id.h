// Event ids: UUID text at the API, 16 raw bytes in indexes.
#ifndef COOPCRAFT_STORAGE_EVENT_ID_H_
#define COOPCRAFT_STORAGE_EVENT_ID_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace coopcraft::storage {

// The 16 bytes of a UUID in text order. Hashable with absl::Hash.
using EventIdBytes = std::array<uint8_t, 16>;

// Parses 8-4-4-4-12 hex text, either case. Any UUID version is accepted:
// clients may use v7 or v5 ids. INVALID_ARGUMENT otherwise.
absl::StatusOr<EventIdBytes> ParseEventId(std::string_view text);

// Canonical text: lower-case 8-4-4-4-12. This is the form stored in
// EventRecord.event_id and hashed, whatever case the client sent.
std::string FormatEventId(const EventIdBytes& id);

// A time-ordered version 7 UUID (RFC 9562): Unix milliseconds and the
// fraction of the millisecond, then 62 bits from OpenSSL's CSPRNG (never
// repeated by a forked child). Ids generated close in time sort close
// together, so the event-id index takes them near its end instead of at
// random places. INTERNAL if the CSPRNG fails.
absl::StatusOr<EventIdBytes> GenerateEventId();

// The id's bytes as a key for RocksDB or a map.
inline std::string_view IdKey(const EventIdBytes& id) {
  return std::string_view(reinterpret_cast<const char*>(id.data()), id.size());
}

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_EVENT_ID_H_
