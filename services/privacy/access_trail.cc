// AccessTrail over one RocksDB column family.
#include "services/privacy/access_trail.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"

namespace coopcraft::privacy {
namespace {

constexpr char kRecordPrefix = 's';
constexpr char kPersonPrefix = 'p';

void AppendBigEndian(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t ReadBigEndian(const char* bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

std::string RecordKey(uint64_t sequence) {
  std::string key(1, kRecordPrefix);
  AppendBigEndian(sequence, &key);
  return key;
}

std::string PersonPrefix(const std::string& person_id) {
  return absl::StrCat(std::string(1, kPersonPrefix), person_id,
                      std::string(1, '\0'));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AccessTrail>> AccessTrail::Open(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) {
  if (db == nullptr || family == nullptr) {
    return absl::InvalidArgumentError("AccessTrail needs a db and a family");
  }
  auto trail = std::unique_ptr<AccessTrail>(new AccessTrail(db, family));
  // The last record key is the last sequence.
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), family));
  it->SeekForPrev(RecordKey(UINT64_MAX));
  if (it->Valid() && it->key().size() == 9 && it->key()[0] == kRecordPrefix) {
    absl::MutexLock lock(&trail->mu_);
    trail->last_sequence_ = ReadBigEndian(it->key().data() + 1);
  }
  if (!it->status().ok()) {
    return absl::InternalError(
        absl::StrCat("reading the access trail: ", it->status().ToString()));
  }
  return trail;
}

absl::Status AccessTrail::Record(
    std::vector<coopcraft::v1::AccessRecord> records) {
  if (records.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  rocksdb::WriteBatch batch;
  uint64_t sequence = last_sequence_;
  for (coopcraft::v1::AccessRecord& record : records) {
    record.set_sequence(++sequence);
    batch.Put(family_, RecordKey(sequence), record.SerializeAsString());
    std::string index = PersonPrefix(record.person_id());
    AppendBigEndian(sequence, &index);
    batch.Put(family_, index, "");
  }
  const rocksdb::Status status = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("recording access: ", status.ToString()));
  }
  last_sequence_ = sequence;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<coopcraft::v1::AccessRecord>> AccessTrail::List(
    const std::string& person_id, uint64_t after, size_t limit) const {
  std::vector<coopcraft::v1::AccessRecord> records;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), family_));
  auto load = [&](uint64_t sequence) -> absl::Status {
    std::string value;
    const rocksdb::Status got =
        db_->Get(rocksdb::ReadOptions(), family_, RecordKey(sequence), &value);
    coopcraft::v1::AccessRecord record;
    if (!got.ok() || !record.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("access record ", sequence, " is unreadable"));
    }
    records.push_back(std::move(record));
    return absl::OkStatus();
  };
  if (person_id.empty()) {
    for (it->Seek(RecordKey(after + 1));
         it->Valid() && records.size() < limit && it->key()[0] == kRecordPrefix;
         it->Next()) {
      coopcraft::v1::AccessRecord record;
      if (!record.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
        return absl::DataLossError("an access record is unreadable");
      }
      records.push_back(std::move(record));
    }
  } else {
    const std::string prefix = PersonPrefix(person_id);
    std::string start = prefix;
    AppendBigEndian(after + 1, &start);
    for (it->Seek(start);
         it->Valid() && records.size() < limit &&
         it->key().starts_with(prefix) && it->key().size() == prefix.size() + 8;
         it->Next()) {
      if (absl::Status loaded =
              load(ReadBigEndian(it->key().data() + prefix.size()));
          !loaded.ok()) {
        return loaded;
      }
    }
  }
  if (!it->status().ok()) {
    return absl::InternalError(
        absl::StrCat("reading the access trail: ", it->status().ToString()));
  }
  return records;
}

}  // namespace coopcraft::privacy
