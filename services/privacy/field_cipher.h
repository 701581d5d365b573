// AES-256-GCM sealing of single values (one personal field of an event) with
// a per-person data key.
//
// Sealed format: nonce (12 bytes) || ciphertext || tag (16 bytes). The nonce
// is drawn at random for every call: a (key, nonce) pair must never repeat
// under GCM, and random 96-bit nonces keep the chance of that negligible for
// the handful of fields one person's key ever seals.
#ifndef COOPCRAFT_SERVICES_PRIVACY_FIELD_CIPHER_H_
#define COOPCRAFT_SERVICES_PRIVACY_FIELD_CIPHER_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace coopcraft::privacy {

// One data subject's AES-256 key.
using DataKey = std::array<unsigned char, 32>;

inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
// Smallest valid sealed value: the sealing of an empty plaintext.
inline constexpr size_t kSealedOverhead = kNonceSize + kTagSize;

// A fresh key from OpenSSL's CSPRNG. INTERNAL when the generator fails.
absl::StatusOr<DataKey> NewDataKey();

// Encrypts and authenticates `plaintext`, and authenticates (without
// storing) `associated_data`: opening succeeds only with the same associated
// data, which binds the ciphertext to its context (event type, field,
// subject). INVALID_ARGUMENT for inputs over 1 GiB; INTERNAL when OpenSSL
// fails.
absl::StatusOr<std::string> SealField(const DataKey& key,
                                      std::string_view plaintext,
                                      std::string_view associated_data);

// Reverses SealField. DATA_LOSS when `sealed` is too short to be a sealed
// value or fails authentication (wrong key, wrong associated data, any
// altered byte); no unauthenticated plaintext is ever returned.
absl::StatusOr<std::string> OpenField(const DataKey& key,
                                      std::string_view sealed,
                                      std::string_view associated_data);

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_FIELD_CIPHER_H_
