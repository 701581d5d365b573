// Durable EventLog on RocksDB: opening, the format check, tail recovery
// and closing. Appends are in rocksdb_event_log_append.cc, reads and chain
// verification in rocksdb_event_log_reads.cc.
#include "storage/rocksdb_event_log.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"
#include "storage/keys.h"
#include "storage/record_hash.h"
#include "storage/rocksdb_log_io.h"
#include "storage/rocksdb_tuning.h"

namespace coopcraft::storage {

using ::coopcraft::v1::EventRecord;

absl::StatusOr<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::Open(
    const RocksDbEventLogOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("event log path is empty");
  }
  rocksdb::DBOptions db_options = EventLogDbOptions();
  db_options.create_if_missing = options.create_if_missing;
  if (options.env != nullptr) db_options.env = options.env;

  // RocksDB refuses to open a database without naming all of its families,
  // so open whatever is there plus what we need.
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(db_options, options.path, &names).ok()) {
    names.clear();  // no database yet; DB::Open reports any real problem
  }
  auto require = [&names](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
  };
  require(rocksdb::kDefaultColumnFamilyName);
  for (std::string_view name : {kLogFamily, kStreamsFamily, kEventIdsFamily,
                                kStreamHeadsFamily, kMetaFamily}) {
    require(name);
  }
  for (const std::string& name : options.extra_column_families) require(name);

  std::shared_ptr<rocksdb::Cache> cache = NewEventLogBlockCache();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, EventLogFamilyOptions(name, cache));
  }
  rocksdb::DB* raw_db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path,
                                             descriptors, &handles, &raw_db);
  if (!status.ok()) return FromOpenError(status, options.path);
  std::unique_ptr<RocksDbEventLog> log(new RocksDbEventLog(
      options, std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles)));
  RETURN_IF_ERROR(log->CheckFormatVersion());
  RETURN_IF_ERROR(log->RecoverTail());
  return log;
}

RocksDbEventLog::RocksDbEventLog(
    const RocksDbEventLogOptions& options, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : limits_(options.limits),
      max_group_bytes_(options.max_group_bytes),
      path_(options.path),
      db_(std::move(db)),
      handles_(std::move(handles)),
      last_hash_(ZeroHash()) {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    families_by_name_[handle->GetName()] = handle;
  }
  log_cf_ = families_by_name_.at(ToAbsl(kLogFamily));
  streams_cf_ = families_by_name_.at(ToAbsl(kStreamsFamily));
  ids_cf_ = families_by_name_.at(ToAbsl(kEventIdsFamily));
  heads_cf_ = families_by_name_.at(ToAbsl(kStreamHeadsFamily));
  meta_cf_ = families_by_name_.at(ToAbsl(kMetaFamily));
  committer_ = std::thread([this] { RunCommitter(); });
}

RocksDbEventLog::~RocksDbEventLog() {
  StopCommitter();
  // A clean close writes the memtables out, so the next open need not
  // replay up to max_total_wal_size of write-ahead log before it serves
  // (after a crash that replay still restores every acknowledged event).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::Status flushed = db_->Flush(flush, handles_);
  (void)flushed;  // an unflushed memtable is replayed from the WAL instead
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    rocksdb::Status destroyed = db_->DestroyColumnFamilyHandle(handle);
    (void)destroyed;  // only fails for the default family's handle
  }
  // Every acknowledged write is already synced, so a failed close loses
  // nothing; there is no caller left to tell.
  rocksdb::Status closed = db_->Close();
  (void)closed;
}

rocksdb::ColumnFamilyHandle* RocksDbEventLog::column_family(
    std::string_view name) const {
  auto it = families_by_name_.find(ToAbsl(name));
  return it == families_by_name_.end() ? nullptr : it->second;
}

absl::Status RocksDbEventLog::CheckFormatVersion() {
  std::string version;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_cf_,
                                    ToSlice(kFormatVersionKey), &version);
  if (status.ok()) {
    if (version == kFormatVersion) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("event log at ", path_, " has format version ", version,
                     "; this build reads version ", ToAbsl(kFormatVersion)));
  }
  if (!status.IsNotFound()) {
    return FromRocksDb(status, "reading the event log format version");
  }
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
  it->SeekToFirst();
  if (it->Valid()) {
    return absl::DataLossError(absl::StrCat(
        "event log at ", path_, " holds records but no format version"));
  }
  RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the event log"));
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  RETURN_IF_ERROR(
      FromRocksDb(db_->Put(write_options, meta_cf_, ToSlice(kFormatVersionKey),
                           ToSlice(kFormatVersion)),
                  "writing the event log format version"));
  // Flushed at once so that this family, never written again, does not pin
  // the first WAL file.
  return FromRocksDb(db_->Flush(rocksdb::FlushOptions(), meta_cf_),
                     "flushing the event log format version");
}

absl::Status RocksDbEventLog::RecoverTail() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), log_cf_));
  it->SeekToLast();
  if (!it->Valid()) return FromRocksDb(it->status(), "reading the event log");
  ASSIGN_OR_RETURN(uint64_t head, DecodePosition(it->key(), "last log key"));
  EventRecord last;
  RETURN_IF_ERROR(ParseStoredRecord(it->value(), head, &last));
  std::string prev_hash(ZeroHash());
  if (head > 1) {
    it->Prev();
    if (!it->Valid()) {
      RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the event log"));
      return MissingRecord(head - 1);
    }
    ASSIGN_OR_RETURN(uint64_t previous_position,
                     DecodePosition(it->key(), "log key"));
    if (previous_position != head - 1) return MissingRecord(head - 1);
    EventRecord previous;
    RETURN_IF_ERROR(ParseStoredRecord(it->value(), head - 1, &previous));
    RETURN_IF_ERROR(CheckStoredRecord(previous, head - 1));
    prev_hash = previous.hash();
  }
  if (std::optional<std::string> problem =
          ChainLinkProblem(last, head, prev_hash)) {
    return absl::DataLossError(absl::StrCat("event log record at position ",
                                            head, " is corrupt: ", *problem));
  }
  next_position_ = head + 1;
  last_hash_ = last.hash();
  last_recorded_at_micros_ = last.recorded_at_micros();
  notifier_.Publish(head);
  return absl::OkStatus();
}

uint64_t RocksDbEventLog::HeadPosition() const { return notifier_.head(); }

absl::Status RocksDbEventLog::WaitForPosition(uint64_t position,
                                              absl::Time deadline) const {
  return notifier_.WaitFor(position, deadline);
}

TailListenerHandle RocksDbEventLog::AddTailListener(
    std::function<void(uint64_t head)> listener) {
  return notifier_.AddListener(std::move(listener));
}

}  // namespace coopcraft::storage
