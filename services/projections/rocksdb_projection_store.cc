// RocksDbProjectionStore: see the header for the key layout.
#include "services/projections/rocksdb_projection_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "absl/base/internal/endian.h"
#include "absl/strings/str_cat.h"
#include "services/base/string_view.h"
#include "storage/rocksdb_status.h"

namespace coopcraft::projections {
namespace {

std::string Prefix(std::string_view projection) {
  std::string prefix(projection);
  prefix.push_back('\0');
  return prefix;
}

std::string CheckpointKey(std::string_view projection) {
  return Prefix(projection) + "c";
}

std::string StatePrefix(std::string_view projection) {
  return Prefix(projection) + "s";
}

absl::Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();  // the common case builds no text
  return storage::FromRocksDb(status,
                              absl::StrCat("projection store ", ToAbsl(what)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbProjectionStore>>
RocksDbProjectionStore::Create(rocksdb::DB* db,
                               rocksdb::ColumnFamilyHandle* family) {
  if (db == nullptr || family == nullptr) {
    return absl::InvalidArgumentError(
        "projection store needs a database and its column family");
  }
  return std::unique_ptr<RocksDbProjectionStore>(
      new RocksDbProjectionStore(db, family));
}

absl::StatusOr<std::optional<Checkpoint>> RocksDbProjectionStore::Load(
    std::string_view projection,
    absl::FunctionRef<absl::Status(std::string_view key,
                                   std::string_view value)>
        visit) const {
  // One snapshot, so the keys read belong to the checkpoint read.
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  absl::StatusOr<std::optional<Checkpoint>> result = std::nullopt;
  std::string value;
  rocksdb::Status got =
      db_->Get(read_options, family_, CheckpointKey(projection), &value);
  if (got.ok()) {
    if (value.size() != 12) {
      result = absl::DataLossError(absl::StrCat(
          "projection ", std::string(projection), ": bad checkpoint"));
    } else {
      result =
          Checkpoint{.position = absl::big_endian::Load64(value.data()),
                     .version = absl::big_endian::Load32(value.data() + 8)};
    }
  } else if (!got.IsNotFound()) {
    result = FromRocks(got, "read checkpoint");
  }
  if (result.ok()) {
    const std::string prefix = StatePrefix(projection);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(read_options, family_));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
         it->Next()) {
      const rocksdb::Slice key = it->key();
      absl::Status status =
          visit(std::string_view(key.data() + prefix.size(),
                                 key.size() - prefix.size()),
                std::string_view(it->value().data(), it->value().size()));
      if (!status.ok()) {
        result = status;
        break;
      }
    }
    if (result.ok() && !it->status().ok()) {
      result = FromRocks(it->status(), "scan state");
    }
  }
  db_->ReleaseSnapshot(snapshot);
  return result;
}

absl::Status RocksDbProjectionStore::CommitAll(
    const std::vector<ProjectionCommit>& commits) {
  rocksdb::WriteBatch batch;
  for (const ProjectionCommit& commit : commits) {
    std::string key = StatePrefix(commit.projection);
    const size_t prefix_size = key.size();
    for (const StateWrite& write : *commit.writes) {
      key.resize(prefix_size);
      key += write.key;
      rocksdb::Status status = write.value.has_value()
                                   ? batch.Put(family_, key, *write.value)
                                   : batch.Delete(family_, key);
      if (!status.ok()) return FromRocks(status, "batch");
    }
    char encoded[12];
    absl::big_endian::Store64(encoded, commit.checkpoint.position);
    absl::big_endian::Store32(encoded + 8, commit.checkpoint.version);
    if (rocksdb::Status status =
            batch.Put(family_, CheckpointKey(commit.projection),
                      rocksdb::Slice(encoded, sizeof(encoded)));
        !status.ok()) {
      return FromRocks(status, "batch");
    }
  }
  return FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "commit");
}

absl::Status RocksDbProjectionStore::Reset(std::string_view projection) {
  rocksdb::WriteBatch batch;
  std::string end(projection);
  end.push_back('\1');
  if (rocksdb::Status status =
          batch.DeleteRange(family_, Prefix(projection), end);
      !status.ok()) {
    return FromRocks(status, "batch");
  }
  // Synced, so a rebuild never resumes from a checkpoint it meant to drop.
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(db_->Write(options, &batch), "reset");
}

}  // namespace coopcraft::projections
