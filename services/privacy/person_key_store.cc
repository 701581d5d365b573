// PersonKeyStore over RocksDB.
#include "services/privacy/person_key_store.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/rocksdb_status.h"

namespace coopcraft::privacy {
namespace {

constexpr std::string_view kKeyPrefix = "k/";
constexpr std::string_view kErasedPrefix = "e/";

std::string KeyKey(std::string_view person_id) {
  return absl::StrCat(ToAbsl(kKeyPrefix), ToAbsl(person_id));
}

std::string ErasedKey(std::string_view person_id) {
  return absl::StrCat(ToAbsl(kErasedPrefix), ToAbsl(person_id));
}

rocksdb::Slice ToSlice(std::string_view bytes) {
  return rocksdb::Slice(bytes.data(), bytes.size());
}

absl::Status FromRocksDb(const rocksdb::Status& status,
                         std::string_view context) {
  if (status.ok()) return absl::OkStatus();  // the common case builds no text
  return storage::FromRocksDb(
      status, absl::StrCat("person key store: ", ToAbsl(context)));
}

// Calls `visit` with the person id and value of every erasure marker.
absl::Status ForEachMarker(
    rocksdb::DB* db, std::string_view context,
    absl::FunctionRef<void(rocksdb::Slice person_id, rocksdb::Slice value)>
        visit) {
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(ToSlice(kErasedPrefix));
       it->Valid() && it->key().starts_with(ToSlice(kErasedPrefix));
       it->Next()) {
    rocksdb::Slice person_id = it->key();
    person_id.remove_prefix(kErasedPrefix.size());
    visit(person_id, it->value());
  }
  return FromRocksDb(it->status(), context);
}

absl::Status ValidatePersonId(std::string_view person_id) {
  if (person_id.empty() || person_id.size() > kMaxPersonIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("person_id must be 1-", kMaxPersonIdSize, " bytes; got ",
                     person_id.size()));
  }
  return absl::OkStatus();
}

rocksdb::Options KeyStoreOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  // Erasure must be able to show that the key bytes left the disk, and a
  // scan of the files is how tests check it: random key bytes do not
  // compress anyway, so storing them verbatim costs nothing.
  options.compression = rocksdb::kNoCompression;
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  // A WAL file that is no longer needed is deleted at once: archiving it
  // (TTL or size limit) or recycling it (reusing the file without erasing
  // it) would keep erased keys on disk.
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  options.recycle_log_file_num = 0;
  // Keys are read one at a time and then cached; keep the footprint small.
  options.max_open_files = 64;
  options.keep_log_file_num = 4;
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PersonKeyStore>> PersonKeyStore::Open(
    const std::string& path) {
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(KeyStoreOptions(), path, &raw_db);
  if (!status.ok()) {
    // RocksDB reports its LOCK file held elsewhere as a plain IOError.
    if (status.IsIOError() &&
        absl::StrContains(absl::AsciiStrToLower(status.ToString()), "lock")) {
      return absl::FailedPreconditionError(
          absl::StrCat("person key store ", path,
                       " is in use by another process (or another open key "
                       "store in this process): ",
                       status.ToString()));
    }
    return FromRocksDb(status, absl::StrCat("opening ", path));
  }
  std::unique_ptr<PersonKeyStore> store(
      new PersonKeyStore(std::unique_ptr<rocksdb::DB>(raw_db)));
  RETURN_IF_ERROR(store->LoadErasureMarkers());
  return store;
}

PersonKeyStore::PersonKeyStore(std::unique_ptr<rocksdb::DB> db)
    : db_(std::move(db)) {}

PersonKeyStore::~PersonKeyStore() {
  absl::MutexLock lock(&mu_);
  for (auto& [person_id, key] : keys_) OPENSSL_cleanse(key.data(), key.size());
  // Every write was synced, so nothing is lost if closing fails.
  db_->Close().PermitUncheckedError();
}

absl::Status PersonKeyStore::LoadErasureMarkers() {
  absl::MutexLock lock(&mu_);
  return ForEachMarker(db_.get(), "loading erasure markers",
                       [this](rocksdb::Slice person_id, rocksdb::Slice) {
                         mu_.AssertHeld();
                         erased_.insert(person_id.ToString());
                       });
}

absl::StatusOr<std::optional<DataKey>> PersonKeyStore::ReadKey(
    std::string_view person_id) const {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ToSlice(KeyKey(person_id)), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocksDb(status, "reading a key"));
  DataKey key;
  if (value.size() != key.size()) {
    OPENSSL_cleanse(value.data(), value.size());
    return absl::DataLossError(
        absl::StrCat("person key store: key of person_id ", ToAbsl(person_id),
                     " is ", value.size(), " bytes, expected ", key.size()));
  }
  std::copy_n(value.data(), key.size(), key.data());
  OPENSSL_cleanse(value.data(), value.size());
  keys_.emplace(std::string(person_id), key);
  return key;
}

absl::StatusOr<DataKey> PersonKeyStore::KeyFor(std::string_view person_id) {
  RETURN_IF_ERROR(ValidatePersonId(person_id));
  absl::MutexLock lock(&mu_);
  if (erased_.contains(ToAbsl(person_id))) {
    return absl::FailedPreconditionError(
        absl::StrCat("PERSON_ERASED: person_id ", ToAbsl(person_id),
                     " was erased; no personal data can be recorded for them"));
  }
  if (auto it = keys_.find(ToAbsl(person_id)); it != keys_.end()) {
    return it->second;
  }
  ASSIGN_OR_RETURN(std::optional<DataKey> stored, ReadKey(person_id));
  if (stored.has_value()) return *stored;

  ASSIGN_OR_RETURN(DataKey key, NewDataKey());
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  rocksdb::Status status = db_->Put(
      write_options, ToSlice(KeyKey(person_id)),
      rocksdb::Slice(reinterpret_cast<const char*>(key.data()), key.size()));
  if (!status.ok()) {
    OPENSSL_cleanse(key.data(), key.size());
    return FromRocksDb(status, "storing a new key");
  }
  keys_.emplace(std::string(person_id), key);
  return key;
}

absl::StatusOr<std::optional<DataKey>> PersonKeyStore::FindKey(
    std::string_view person_id) const {
  RETURN_IF_ERROR(ValidatePersonId(person_id));
  absl::MutexLock lock(&mu_);
  if (erased_.contains(ToAbsl(person_id))) return std::nullopt;
  if (auto it = keys_.find(ToAbsl(person_id)); it != keys_.end()) {
    return it->second;
  }
  return ReadKey(person_id);
}

bool PersonKeyStore::IsErased(std::string_view person_id) const {
  absl::MutexLock lock(&mu_);
  return erased_.contains(ToAbsl(person_id));
}

absl::Status PersonKeyStore::Erase(std::string_view person_id,
                                   std::string_view pending_record) {
  RETURN_IF_ERROR(ValidatePersonId(person_id));
  {
    absl::MutexLock lock(&mu_);
    if (!erased_.contains(ToAbsl(person_id))) {
      // Deleting the key and writing the marker in one batch: a crash
      // leaves either both or neither, never a person with no key who
      // could silently get a new one.
      rocksdb::WriteBatch batch;
      rocksdb::Status status = batch.Delete(ToSlice(KeyKey(person_id)));
      if (status.ok()) {
        status =
            batch.Put(ToSlice(ErasedKey(person_id)), ToSlice(pending_record));
      }
      if (status.ok()) {
        rocksdb::WriteOptions write_options;
        write_options.sync = true;
        status = db_->Write(write_options, &batch);
      }
      RETURN_IF_ERROR(FromRocksDb(status, "recording an erasure"));
      if (auto it = keys_.find(ToAbsl(person_id)); it != keys_.end()) {
        OPENSSL_cleanse(it->second.data(), it->second.size());
        keys_.erase(it);
      }
      erased_.emplace(std::string(person_id));
    }
  }
  // Outside the lock: other people's keys stay available meanwhile, and the
  // erasure is already final (the marker is durable, the key unreadable).
  return PurgeDeletedData();
}

absl::StatusOr<std::vector<PersonKeyStore::PendingErasure>>
PersonKeyStore::PendingRecords() const {
  std::vector<PendingErasure> pending;
  RETURN_IF_ERROR(
      ForEachMarker(db_.get(), "reading pending erasures",
                    [&pending](rocksdb::Slice person_id, rocksdb::Slice value) {
                      if (value.empty()) return;
                      pending.push_back({.person_id = person_id.ToString(),
                                         .record = value.ToString()});
                    }));
  return pending;
}

absl::Status PersonKeyStore::ClearPendingRecord(std::string_view person_id,
                                                std::string_view record) {
  RETURN_IF_ERROR(ValidatePersonId(person_id));
  absl::MutexLock lock(&mu_);
  if (!erased_.contains(ToAbsl(person_id))) {
    return absl::FailedPreconditionError(
        absl::StrCat("person_id ", ToAbsl(person_id), " was not erased"));
  }
  std::string stored;
  RETURN_IF_ERROR(FromRocksDb(
      db_->Get(rocksdb::ReadOptions(), ToSlice(ErasedKey(person_id)), &stored),
      "reading an erasure marker"));
  if (stored.empty() || stored != record) return absl::OkStatus();
  // Synced like every write here; a clear lost to a crash would only make
  // the next start redo what the record asked for, which the caller makes
  // idempotent.
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocksDb(db_->Put(write_options, ToSlice(ErasedKey(person_id)), ""),
                     "clearing a pending erasure record");
}

absl::Status PersonKeyStore::PurgeDeletedData() {
  // One purge at a time: with two in flight, the first to re-enable file
  // deletions would not bring the counter to zero, and so would return
  // before the files it made obsolete are gone.
  absl::MutexLock purge_lock(&purge_mu_);
  // Keep RocksDB's background jobs from deleting obsolete files on their
  // own schedule while we work: the EnableFileDeletions call below, which
  // brings the counter back to zero, then scans the directory and deletes
  // every obsolete file in this thread, so they are gone when we return.
  RETURN_IF_ERROR(
      FromRocksDb(db_->DisableFileDeletions(), "disabling file deletions"));
  bool deletions_enabled = false;
  absl::Cleanup enable_deletions = [&] {
    if (!deletions_enabled) {
      db_->EnableFileDeletions(/*force=*/false).PermitUncheckedError();
    }
  };

  // The memtable (and so the current WAL) may hold the key: write it to an
  // SST, which makes that WAL obsolete.
  rocksdb::FlushOptions flush_options;
  flush_options.wait = true;
  RETURN_IF_ERROR(FromRocksDb(db_->Flush(flush_options), "flushing"));

  // Rewrite every SST down to the bottommost level: there the deletion
  // drops the key's value, and the files that held it become obsolete.
  // kForce also rewrites files already at the bottom, which an older
  // compaction may have left holding the key.
  rocksdb::CompactRangeOptions compact_options;
  compact_options.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForce;
  compact_options.exclusive_manual_compaction = false;
  RETURN_IF_ERROR(FromRocksDb(
      db_->CompactRange(compact_options, nullptr, nullptr), "compacting"));

  deletions_enabled = true;
  return FromRocksDb(db_->EnableFileDeletions(/*force=*/false),
                     "deleting obsolete files");
}

}  // namespace coopcraft::privacy
