// AccessTrail: the append-only record of who was served which person's
// personal data in clear, for ADMIN and AUDITOR (AuditService.
// ListAccessRecords).
#ifndef COOPCRAFT_SERVICES_PRIVACY_ACCESS_TRAIL_H_
#define COOPCRAFT_SERVICES_PRIVACY_ACCESS_TRAIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/audit_service.pb.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace coopcraft::privacy {

// The column family name to request through
// RocksDbEventLogOptions::extra_column_families.
inline constexpr char kAccessTrailColumnFamily[] = "access_trail";

// Thread-safe. Layout: "s" + 8-byte big-endian sequence -> AccessRecord;
// "p" + person_id + "\0" + sequence -> empty (the per-person index),
// written together in one batch. Writes go through the WAL without an
// fsync of their own: a record survives a crash of the process, and the
// next synced write of the log (every command's) makes it durable against
// a crash of the machine too. Reads never wait for a disk flush.
class AccessTrail {
 public:
  // `db` and `family` are not owned and must outlive the trail.
  static absl::StatusOr<std::unique_ptr<AccessTrail>> Open(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family);

  // Appends `records` (their sequence is assigned here).
  absl::Status Record(std::vector<coopcraft::v1::AccessRecord> records);

  // Records after sequence `after`, oldest first, at most `limit`; only
  // `person_id`'s when it is not empty.
  absl::StatusOr<std::vector<coopcraft::v1::AccessRecord>> List(
      const std::string& person_id, uint64_t after, size_t limit) const;

 private:
  AccessTrail(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family)
      : db_(db), family_(family) {}

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
  absl::Mutex mu_;  // orders sequences with their writes
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_ACCESS_TRAIL_H_
