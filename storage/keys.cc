// Big-endian integers and composite keys of the RocksDB event log.
#include "storage/keys.h"

namespace coopcraft::storage {

void AppendBigEndian64(uint64_t value, std::string* out) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, sizeof(bytes));
}

std::string EncodeBigEndian64(uint64_t value) {
  std::string out;
  AppendBigEndian64(value, &out);
  return out;
}

std::optional<uint64_t> DecodeBigEndian64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

std::string StreamRevisionKey(std::string_view stream, uint64_t revision) {
  std::string key = StreamKeyPrefix(stream);
  AppendBigEndian64(revision, &key);
  return key;
}

std::string StreamKeyPrefix(std::string_view stream) {
  std::string key;
  key.reserve(stream.size() + 9);
  key.append(stream);
  key.push_back('\0');
  return key;
}

std::string StreamKeyLimit(std::string_view stream) {
  std::string key(stream);
  key.push_back('\x01');
  return key;
}

}  // namespace coopcraft::storage
