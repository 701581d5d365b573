// Export files (storage/FORMAT.md, "Export files"): writing them and
// verifying their hash chain offline, without a server or the database.
#ifndef COOPCRAFT_STORAGE_EXPORT_VERIFIER_H_
#define COOPCRAFT_STORAGE_EXPORT_VERIFIER_H_

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/event_record.pb.h"
#include "storage/event_log.h"

namespace coopcraft::storage {

// First bytes of every export file.
inline constexpr std::string_view kExportMagic = "coopcraft-export v1\n";

// Writes the magic line. UNAVAILABLE when the stream fails.
absl::Status WriteExportHeader(std::ostream& out);

// Appends one record (varint32 length, then its protobuf bytes).
// UNAVAILABLE when the stream fails.
absl::Status WriteExportRecord(const coopcraft::v1::EventRecord& record,
                               std::ostream& out);

// What VerifyExport found: the chain check, and the range the file covers
// with the hashes at its two ends (the far end is the inherited
// head_position and head_hash). A hash chain cannot tell a complete export
// from one cut at either end, or from a copy rewritten and re-hashed from
// some record on: only these, compared with what the server's VerifyChain
// (head_position, head_hash) or a previous export states, can.
struct ExportVerification : ChainVerification {
  // Position of the file's first record (once one parses), and the hash it
  // links to: the zero hash at position 1, otherwise the record's own
  // prev_hash, which nothing in the file vouches for. 0 and empty when the
  // file holds no record.
  uint64_t first_position = 0;
  std::string anchor_hash{};
};

// Reads an export file and checks, with the same rules as
// EventLog::VerifyChain (storage/record_hash.h), that its records have
// consecutive positions and that each links to the one before and hashes
// correctly. An export starting at position 1 is anchored on the zero hash;
// one starting later is anchored on its first record's prev_hash (the
// records before it are not in the file). A broken chain, a truncated or
// unparseable record is reported in the result (the first bad position, as
// VerifyChain would name it). INVALID_ARGUMENT when the input is not an
// export file.
//
// first_bad_position is 0, a position no record has, when the bad record is
// the file's first and does not tell its position (it does not parse, or
// claims position 0): the file says nowhere else where it starts, and
// naming position 1, or a guess from the records after it, would send an
// auditor to compare the server's record there with a file that may never
// have held it. `problem` then says the position is unknown.
absl::StatusOr<ExportVerification> VerifyExport(std::istream& in);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_EXPORT_VERIFIER_H_
