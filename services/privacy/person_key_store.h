// PersonKeyStore: one AES-256 data key per data subject, in a RocksDB
// database of its own, separate from the event log.
//
// The log keeps only ciphertexts of personal fields; the keys live here. So
// erasing a person (GDPR art. 17) means destroying their key here
// ("crypto-shredding"): the log's records, and the hash chain over them,
// never change.
//
// Key layout (default column family):
//   "k/<person_id>" -> the person's 32 key bytes, while they have a key.
//   "e/<person_id>" -> the erasure marker. Holds no key material; it makes
//                      erasure final, since a person with a marker never
//                      gets a key again. Its value is the caller's pending
//                      record (see Erase) until ClearPendingRecord, then
//                      empty.
// A person has at most one of the two entries.
//
// person_id is an opaque id (never personal data itself), 1-128 bytes.
//
// Thread safety: every method may be called concurrently.
#ifndef COOPCRAFT_SERVICES_PRIVACY_PERSON_KEY_STORE_H_
#define COOPCRAFT_SERVICES_PRIVACY_PERSON_KEY_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/privacy/field_cipher.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace coopcraft::privacy {

inline constexpr size_t kMaxPersonIdSize = 128;

class PersonKeyStore {
 public:
  // Opens or creates the key database in directory `path` (which must not be
  // the event log's directory). FAILED_PRECONDITION when another process (or
  // another open store in this process) uses it; DATA_LOSS when it is
  // corrupt; UNAVAILABLE/INTERNAL from RocksDB otherwise.
  static absl::StatusOr<std::unique_ptr<PersonKeyStore>> Open(
      const std::string& path);

  ~PersonKeyStore();
  PersonKeyStore(const PersonKeyStore&) = delete;
  PersonKeyStore& operator=(const PersonKeyStore&) = delete;

  // The person's key, created (and synced to disk before it is returned, so
  // nothing is ever sealed with a key that a crash could lose) on first use.
  // FAILED_PRECONDITION "PERSON_ERASED: ..." once the person was erased;
  // INVALID_ARGUMENT for a malformed person_id. For writers only.
  absl::StatusOr<DataKey> KeyFor(std::string_view person_id);

  // The person's key, or nullopt when they never had one or were erased.
  // Never creates a key: for readers, who must not undo an erasure or grow
  // the store. INVALID_ARGUMENT for a malformed person_id.
  absl::StatusOr<std::optional<DataKey>> FindKey(
      std::string_view person_id) const;

  // True once Erase(person_id) succeeded (false for a malformed id). Answered
  // from memory: the markers are loaded at Open.
  bool IsErased(std::string_view person_id) const;

  // Destroys the person's key for good and records the erasure, in one
  // synced write; then flushes and compacts the whole database and deletes
  // obsolete files, so that when this returns OK no SST or WAL file of the
  // store still holds the key bytes. Idempotent: erasing an erased person
  // (for example a retry after a crash between the write and the
  // compaction) redoes the flush and compaction; erasing a person who never
  // had a key records the marker so none is created later.
  //
  // `pending_record` (opaque bytes, no personal data) is kept in the marker
  // written with the erasure, in the same synced write, until
  // ClearPendingRecord: what the caller must still record elsewhere about
  // this erasure (the event log's PersonErased), so that a crash between
  // the two can be finished at the next start (PendingRecords). An erasure
  // of a person already erased keeps the marker as it is.
  absl::Status Erase(std::string_view person_id,
                     std::string_view pending_record = {});

  // A marker's pending record, not yet cleared.
  struct PendingErasure {
    std::string person_id;
    std::string record;
  };
  // Every pending record, read from the database (for a start-up pass).
  absl::StatusOr<std::vector<PendingErasure>> PendingRecords() const;

  // Empties the person's marker when it holds `record`: what that record
  // asked for is done. A marker holding another record (a later erasure
  // request's, or an earlier one's still pending) is left alone. OK when
  // there is nothing to clear; FAILED_PRECONDITION when the person was not
  // erased.
  absl::Status ClearPendingRecord(std::string_view person_id,
                                  std::string_view record);

 private:
  explicit PersonKeyStore(std::unique_ptr<rocksdb::DB> db);

  absl::Status LoadErasureMarkers();
  // Reads "k/<person_id>" from the database. nullopt when absent.
  absl::StatusOr<std::optional<DataKey>> ReadKey(
      std::string_view person_id) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes RocksDB rewrite its data without deleted entries and remove every
  // file that held them.
  absl::Status PurgeDeletedData();

  const std::unique_ptr<rocksdb::DB> db_;
  // Serialises key creation (so two callers never create two keys for one
  // person) and guards the caches. Keys are small and people few (a welfare
  // programme has thousands at most), so the caches are unbounded.
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, DataKey> keys_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> erased_ ABSL_GUARDED_BY(mu_);
  // Serialises PurgeDeletedData (see there). Never held with mu_, so
  // lookups and key creation go on during an erasure's compaction.
  absl::Mutex purge_mu_;
};

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_PERSON_KEY_STORE_H_
