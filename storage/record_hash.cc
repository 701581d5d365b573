// Canonical encoding (FORMAT.md, "Canonical bytes") and SHA-256 chaining.
#include "storage/record_hash.h"

#include "absl/strings/str_cat.h"
#include "services/base/sha256.h"
#include "storage/keys.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;

// Bumped whenever the encoding below changes; old records keep verifying
// only if the verifier dispatches on it.
constexpr char kCanonicalVersion = 0x01;

void AppendField(std::string_view bytes, std::string* out) {
  AppendBigEndian64(bytes.size(), out);
  out->append(bytes);
}

// The canonical bytes of a record, built in a buffer reused per thread.
std::string_view CanonicalBytes(const EventRecord& record) {
  thread_local std::string buffer;
  buffer.clear();
  AppendCanonicalBytes(record, &buffer);
  return buffer;
}

}  // namespace

std::string_view ZeroHash() {
  static constexpr char kZeros[kHashSize] = {};
  return std::string_view(kZeros, kHashSize);
}

void AppendCanonicalBytes(const EventRecord& record, std::string* out) {
  out->reserve(out->size() + 1 + 8 * 10 + record.stream().size() +
               record.event_id().size() + record.type().size() +
               record.payload().size() + record.metadata().actor().size() +
               record.metadata().correlation_id().size() +
               record.metadata().causation_id().size());
  out->push_back(kCanonicalVersion);
  AppendBigEndian64(record.position(), out);
  AppendField(record.stream(), out);
  AppendBigEndian64(record.revision(), out);
  AppendField(record.event_id(), out);
  AppendField(record.type(), out);
  AppendBigEndian64(static_cast<uint64_t>(record.recorded_at_micros()), out);
  AppendField(record.payload(), out);
  AppendField(record.metadata().actor(), out);
  AppendField(record.metadata().correlation_id(), out);
  AppendField(record.metadata().causation_id(), out);
}

std::string ComputeRecordHash(std::string_view prev_hash,
                              const EventRecord& record) {
  return Sha256Bytes({prev_hash, CanonicalBytes(record)});
}

void SealRecord(std::string_view prev_hash, EventRecord* record) {
  record->set_prev_hash(prev_hash.data(), prev_hash.size());
  record->set_hash(ComputeRecordHash(prev_hash, *record));
}

absl::Status CheckStoredRecord(const EventRecord& record, uint64_t position) {
  const char* problem = nullptr;
  if (record.position() != position) {
    problem = "its position field does not match its key";
  } else if (record.prev_hash().size() != kHashSize ||
             record.hash().size() != kHashSize) {
    problem = "a hash is not 32 bytes";
  } else if (ComputeRecordHash(record.prev_hash(), record) != record.hash()) {
    problem = "its hash does not match its contents";
  }
  if (problem == nullptr) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("event log record at position ",
                                          position, " is corrupt: ", problem));
}

std::optional<std::string> ChainLinkProblem(const EventRecord& record,
                                            uint64_t position,
                                            std::string_view prev_hash) {
  if (record.position() != position) {
    return absl::StrCat("record claims position ", record.position());
  }
  if (record.prev_hash() != prev_hash) {
    return position == 1
               ? std::string("prev_hash of the first record is not zero")
               : absl::StrCat("prev_hash does not match the hash of position ",
                              position - 1);
  }
  if (record.hash().size() != kHashSize ||
      ComputeRecordHash(prev_hash, record) != record.hash()) {
    return std::string("hash does not match the record's contents");
  }
  return std::nullopt;
}

}  // namespace coopcraft::storage
