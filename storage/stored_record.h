// The value stored under a position in the `log` column family: the
// serialized EventRecord followed by the big-endian CRC-32C of those bytes
// (storage/FORMAT.md, "Stored values").
#ifndef COOPCRAFT_STORAGE_STORED_RECORD_H_
#define COOPCRAFT_STORAGE_STORED_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "coopcraft/v1/event_record.pb.h"

namespace coopcraft::storage {

// Replaces *value with the stored form of `record`.
void EncodeStoredRecord(const coopcraft::v1::EventRecord& record,
                        std::string* value);

// Parses a stored value into *record, reusing its allocations. DATA_LOSS
// naming `position` when the checksum fails, the bytes do not parse or the
// record claims another position. The checksum catches any change to the
// stored bytes; deliberate rewrites are the hash chain's job (VerifyChain).
absl::Status DecodeStoredRecord(std::string_view value, uint64_t position,
                                coopcraft::v1::EventRecord* record);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_STORED_RECORD_H_
