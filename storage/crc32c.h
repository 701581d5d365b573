// CRC-32C (Castagnoli), the checksum of stored log values. Hardware
// accelerated where the CPU has SSE4.2: the RocksDB build Debian ships uses
// a slow portable CRC, and reads check one checksum per event.
#ifndef COOPCRAFT_STORAGE_CRC32C_H_
#define COOPCRAFT_STORAGE_CRC32C_H_

#include <cstdint>
#include <string_view>

namespace coopcraft::storage {

// CRC-32C of `data` (initial value and final xor 0xFFFFFFFF), e.g.
// Crc32c("123456789") == 0xE3069283.
uint32_t Crc32c(std::string_view data);

// The same value computed without CPU extensions, for tests.
uint32_t PortableCrc32c(std::string_view data);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_CRC32C_H_
