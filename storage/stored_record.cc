// Checksummed encoding of log values.
#include "storage/stored_record.h"

#include "absl/strings/str_cat.h"
#include "storage/crc32c.h"
#include "storage/keys.h"

namespace coopcraft::storage {
namespace {

constexpr size_t kChecksumSize = 4;

absl::Status Corrupt(uint64_t position, absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("event log record at position ",
                                          position, " is corrupt: ", problem));
}

}  // namespace

void EncodeStoredRecord(const coopcraft::v1::EventRecord& record,
                        std::string* value) {
  record.SerializeToString(value);
  uint32_t crc = Crc32c(*value);
  for (int shift = 24; shift >= 0; shift -= 8) {
    value->push_back(static_cast<char>((crc >> shift) & 0xff));
  }
}

absl::Status DecodeStoredRecord(std::string_view value, uint64_t position,
                                coopcraft::v1::EventRecord* record) {
  if (value.size() < kChecksumSize) return Corrupt(position, "value too short");
  std::string_view bytes = value.substr(0, value.size() - kChecksumSize);
  uint32_t stored = 0;
  for (char c : value.substr(bytes.size())) {
    stored = (stored << 8) | static_cast<unsigned char>(c);
  }
  if (Crc32c(bytes) != stored) {
    return Corrupt(position, "checksum does not match the stored bytes");
  }
  if (!record->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Corrupt(position, "bytes do not parse as an EventRecord");
  }
  if (record->position() != position) {
    return Corrupt(position, "its position field does not match its key");
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::storage
