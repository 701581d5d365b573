// SHA-256 through OpenSSL, with the digest implementation fetched once per
// thread: OpenSSL 3's one-shot SHA256() looks the algorithm up in its
// provider registry on every call, which costs more than hashing the few
// dozen bytes of a request id or a bearer token.
#ifndef COOPCRAFT_SERVICES_BASE_SHA256_H_
#define COOPCRAFT_SERVICES_BASE_SHA256_H_

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace coopcraft {

inline constexpr size_t kSha256Size = 32;
using Sha256Digest = std::array<unsigned char, kSha256Size>;

// SHA-256 of the concatenation of `parts`. Thread-safe.
Sha256Digest Sha256(std::initializer_list<std::string_view> parts);

// The same digest as 32 raw bytes in a string.
std::string Sha256Bytes(std::initializer_list<std::string_view> parts);

}  // namespace coopcraft

#endif  // COOPCRAFT_SERVICES_BASE_SHA256_H_
