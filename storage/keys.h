// Key and value encodings of the RocksDB event log; storage/FORMAT.md is the
// specification these functions implement.
#ifndef COOPCRAFT_STORAGE_KEYS_H_
#define COOPCRAFT_STORAGE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coopcraft::storage {

// Column family names.
inline constexpr std::string_view kLogFamily = "log";
inline constexpr std::string_view kStreamsFamily = "streams";
inline constexpr std::string_view kEventIdsFamily = "event_ids";
inline constexpr std::string_view kStreamHeadsFamily = "stream_heads";
inline constexpr std::string_view kMetaFamily = "meta";

// Key in `meta` holding the decimal on-disk format version.
inline constexpr std::string_view kFormatVersionKey = "format_version";
inline constexpr std::string_view kFormatVersion = "1";

// Appends `value` as 8 bytes, most significant first, so that byte order
// equals numeric order under RocksDB's default bytewise comparator.
void AppendBigEndian64(uint64_t value, std::string* out);
std::string EncodeBigEndian64(uint64_t value);
// nullopt unless `bytes` is exactly 8 bytes.
std::optional<uint64_t> DecodeBigEndian64(std::string_view bytes);

// `streams` key: stream id, one 0x00 byte, 8-byte big-endian revision.
// Stream ids never contain 0x00 (see ValidateStreamId), so every key of a
// stream shares StreamKeyPrefix(stream) and no other stream's keys do.
std::string StreamRevisionKey(std::string_view stream, uint64_t revision);
std::string StreamKeyPrefix(std::string_view stream);
// Smallest key greater than every key of `stream` (prefix with 0x01 last).
std::string StreamKeyLimit(std::string_view stream);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_KEYS_H_
