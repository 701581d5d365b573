// Table-driven and SSE4.2 CRC-32C.
#include "storage/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace coopcraft::storage {
namespace {

constexpr uint32_t kReflectedPolynomial = 0x82F63B78;

std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ ((crc & 1) ? kReflectedPolynomial : 0);
    }
    table[i] = crc;
  }
  return table;
}

uint32_t ExtendPortable(uint32_t crc, const unsigned char* data, size_t size) {
  static const std::array<uint32_t, 256> kTable = MakeTable();
  for (size_t i = 0; i < size; ++i) {
    crc = kTable[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  }
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t ExtendHardware(
    uint32_t crc, const unsigned char* data, size_t size) {
  uint64_t wide = crc;
  for (; size >= 8; size -= 8, data += 8) {
    uint64_t word;
    std::memcpy(&word, data, sizeof(word));
    wide = _mm_crc32_u64(wide, word);
  }
  crc = static_cast<uint32_t>(wide);
  for (; size > 0; --size, ++data) crc = _mm_crc32_u8(crc, *data);
  return crc;
}
#endif

}  // namespace

uint32_t Crc32c(std::string_view data) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
#if defined(__x86_64__)
  static const bool kHardware = __builtin_cpu_supports("sse4.2");
  if (kHardware) return ~ExtendHardware(~0u, bytes, data.size());
#endif
  return ~ExtendPortable(~0u, bytes, data.size());
}

uint32_t PortableCrc32c(std::string_view data) {
  return ~ExtendPortable(
      ~0u, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

}  // namespace coopcraft::storage
