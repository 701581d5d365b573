// The hash chain: canonical bytes of a record, its SHA-256 link to the
// previous record, and the integrity checks every reader applies. The
// encoding is specified in storage/FORMAT.md; change both together.
#ifndef COOPCRAFT_STORAGE_RECORD_HASH_H_
#define COOPCRAFT_STORAGE_RECORD_HASH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "coopcraft/v1/event_record.pb.h"
#include "services/base/sha256.h"

namespace coopcraft::storage {

inline constexpr size_t kHashSize = kSha256Size;

// prev_hash of the record at position 1: 32 zero bytes.
std::string_view ZeroHash();

// Appends the canonical bytes of `record` (every field except prev_hash and
// hash) to `out`.
void AppendCanonicalBytes(const coopcraft::v1::EventRecord& record,
                          std::string* out);

// SHA-256(prev_hash || canonical bytes of record). Thread-safe.
std::string ComputeRecordHash(std::string_view prev_hash,
                              const coopcraft::v1::EventRecord& record);

// Sets record->prev_hash to `prev_hash` and record->hash to the hash of the
// result. Every other field must be final.
void SealRecord(std::string_view prev_hash, coopcraft::v1::EventRecord* record);

// OK when `record` claims `position`, has 32-byte hashes and its hash
// recomputes; otherwise DATA_LOSS naming the position. This catches any
// change to a single record but not a consistent rewrite of the chain's
// tail, which is ChainLinkProblem's job.
absl::Status CheckStoredRecord(const coopcraft::v1::EventRecord& record,
                               uint64_t position);

// Why `record`, read at `position`, does not extend a chain whose previous
// hash is `prev_hash`; nullopt when it does.
std::optional<std::string> ChainLinkProblem(
    const coopcraft::v1::EventRecord& record, uint64_t position,
    std::string_view prev_hash);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_RECORD_HASH_H_
