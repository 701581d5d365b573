// The one RocksDB-to-absl status mapping.
#include "storage/rocksdb_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace coopcraft::storage {

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError() || status.IsBusy() || status.IsTryAgain() ||
      status.IsTimedOut() || status.IsIncomplete()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

}  // namespace coopcraft::storage
