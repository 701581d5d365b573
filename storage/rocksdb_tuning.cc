// Why each RocksDB setting of the event log is what it is.
#include "storage/rocksdb_tuning.h"

#include <algorithm>
#include <thread>

#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "storage/keys.h"

namespace coopcraft::storage {
namespace {

constexpr size_t kMiB = 1 << 20;

rocksdb::BlockBasedTableOptions TableOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, size_t block_size,
    bool bloom) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = block_size;
  if (bloom) {
    // 10 bits per key: ~1% false positives, so a lookup of an absent key
    // (the common case for event ids) almost never reads a data block.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
  }
  return table;
}

// The stream part of a streams-family key (all but the 8-byte revision):
// one memtable insert hint per stream.
class StreamOfRevisionKey : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "coopcraft.StreamOfRevisionKey"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - 8);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.size() > 8;
  }
};

}  // namespace

rocksdb::DBOptions EventLogDbOptions() {
  rocksdb::DBOptions options;
  options.create_missing_column_families = true;
  // At least one flush and one compaction at a time, and no more jobs than
  // cores: extra jobs would steal CPU from the commit leader.
  options.max_background_jobs =
      std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  // Let flushes and compactions write back SST data in 1 MiB steps: a burst
  // of dirty pages at file close would otherwise stall the WAL fsync that
  // every append waits for.
  options.bytes_per_sync = kMiB;
  // A family written once (meta) would pin its first WAL file forever;
  // past this size RocksDB flushes such families and drops old WALs, which
  // also bounds recovery time.
  options.max_total_wal_size = 256 * kMiB;
  // Replays read every byte of the log once. Mapped SST files let the
  // iterator use uncompressed blocks in place; with pread, copying them out
  // of the page cache was a quarter of the replay's CPU time.
  options.allow_mmap_reads = true;
  options.max_log_file_size = 16 * kMiB;
  options.keep_log_file_num = 4;
  return options;
}

rocksdb::ColumnFamilyOptions EventLogFamilyOptions(
    std::string_view name, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  // Levels sized from the bottom up keep space amplification near 1.1
  // for a log that only grows.
  options.level_compaction_dynamic_level_bytes = true;
  // Recent data (L0, L1) stays uncompressed: it is what tailing readers
  // and compactions touch; older levels trade CPU for space.
  options.compression_per_level = {
      rocksdb::kNoCompression,  rocksdb::kNoCompression,
      rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
      rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
      rocksdb::kLZ4Compression};
  options.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table = TableOptions(cache, 4 * 1024, false);

  if (name == kLogFamily) {
    // Sequential keys: flushed files never overlap, so L0->L1 compactions
    // are trivial moves and a large memtable costs only memory. Fewer,
    // larger flushes also mean fewer stalls for the commit leader.
    options.write_buffer_size = 64 * kMiB;
    options.max_write_buffer_number = 4;
    // Each key follows the last one inserted: with one insert hint for all
    // keys (an empty prefix), the memtable skiplist starts from where the
    // previous insert ended instead of searching from the top.
    options.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewFixedPrefixTransform(0));
    options.target_file_size_base = 64 * kMiB;
    options.max_bytes_for_level_base = 256 * kMiB;
    // Replays scan whole ranges; big blocks mean fewer block reads and
    // better compression. No filter: lookups by position always hit.
    table = TableOptions(cache, 32 * 1024, false);
  } else if (name == kStreamsFamily) {
    // ReadStream looks up (stream, revision) keys by point MultiGet, so a
    // whole-key filter skips files that hold other streams.
    options.write_buffer_size = 32 * kMiB;
    // A stream's next revision key follows its previous one.
    options.memtable_insert_with_hint_prefix_extractor =
        std::make_shared<StreamOfRevisionKey>();
    table = TableOptions(cache, 4 * 1024, true);
  } else if (name == kEventIdsFamily) {
    // Every append looks up each of its ids, nearly always absent. The
    // memtable filter answers those misses without a skiplist walk and
    // the table filters without a block read.
    options.write_buffer_size = 32 * kMiB;
    options.memtable_prefix_bloom_size_ratio = 0.05;
    options.memtable_whole_key_filtering = true;
    // Random UUID keys and 8-byte values do not compress.
    options.compression_per_level.clear();
    options.compression = rocksdb::kNoCompression;
    options.bottommost_compression = rocksdb::kNoCompression;
    table = TableOptions(cache, 4 * 1024, true);
  } else if (name == kStreamHeadsFamily) {
    // One key per stream, overwritten by each append: small and hot.
    options.write_buffer_size = 16 * kMiB;
    // A head's new version sorts right before its previous one.
    options.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewNoopTransform());
    options.memtable_prefix_bloom_size_ratio = 0.05;
    options.memtable_whole_key_filtering = true;
    table = TableOptions(cache, 4 * 1024, true);
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

std::shared_ptr<rocksdb::Cache> NewEventLogBlockCache() {
  return rocksdb::NewLRUCache(128 * kMiB);
}

}  // namespace coopcraft::storage
