// Canonical encoding (FORMAT.md, "Canonical bytes") and SHA-256 chaining.
#include "storage/record_hash.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
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

// A digest context and a scratch buffer per thread: fetching the SHA-256
// implementation and allocating a context per record costs more than
// hashing a typical record.
class ThreadHasher {
 public:
  ThreadHasher()
      : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    // Without SHA-256 no record can be written or verified; failing loudly
    // here beats returning wrong hashes.
    if (md_ == nullptr || ctx_ == nullptr) std::abort();
  }
  ~ThreadHasher() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  ThreadHasher(const ThreadHasher&) = delete;
  ThreadHasher& operator=(const ThreadHasher&) = delete;

  std::string Hash(std::string_view prev_hash, const EventRecord& record) {
    buffer_.clear();
    AppendCanonicalBytes(record, &buffer_);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, prev_hash.data(), prev_hash.size()) != 1 ||
        EVP_DigestUpdate(ctx_, buffer_.data(), buffer_.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, digest, &size) != 1 || size != kHashSize) {
      std::abort();
    }
    return std::string(reinterpret_cast<const char*>(digest), size);
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
  std::string buffer_;
};

ThreadHasher& Hasher() {
  thread_local ThreadHasher hasher;
  return hasher;
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
  return Hasher().Hash(prev_hash, record);
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
