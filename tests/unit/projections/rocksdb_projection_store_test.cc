// The RocksDB projection store keeps state and checkpoint together, across
// reopening, in the log's own database.
#include "services/projections/rocksdb_projection_store.h"

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/rocksdb_event_log.h"

namespace coopcraft::projections {
namespace {

using Stored = std::map<std::string, std::string>;

class RocksDbProjectionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "projection_store_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    store_.reset();
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    store_.reset();
    log_.reset();
    auto log = storage::RocksDbEventLog::Open(
        {.path = dir_ + "/log",
         .extra_column_families = {kProjectionColumnFamily}});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    auto store = RocksDbProjectionStore::Create(
        log_->db(), log_->column_family(kProjectionColumnFamily));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::optional<Checkpoint> Load(std::string_view name, Stored* stored) {
    auto checkpoint = store_->Load(
        name, [stored](std::string_view key, std::string_view value) {
          (*stored)[std::string(key)] = std::string(value);
          return absl::OkStatus();
        });
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
    return checkpoint.ok() ? *checkpoint : std::nullopt;
  }

  std::string dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::unique_ptr<RocksDbProjectionStore> store_;
};

TEST_F(RocksDbProjectionStoreTest, CommitSurvivesReopen) {
  Open();
  ASSERT_TRUE(
      store_
          ->Commit("view", {.position = 12, .version = 3},
                   {{.key = "a", .value = "1"}, {.key = "b", .value = "2"}})
          .ok());
  ASSERT_TRUE(store_
                  ->Commit("view", {.position = 15, .version = 3},
                           {{.key = "a", .value = std::nullopt}})
                  .ok());
  Open();
  Stored stored;
  std::optional<Checkpoint> checkpoint = Load("view", &stored);
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->position, 15u);
  EXPECT_EQ(checkpoint->version, 3u);
  EXPECT_EQ(stored, (Stored{{"b", "2"}}));
}

TEST_F(RocksDbProjectionStoreTest, CommitAllStoresEveryProjectionsPart) {
  Open();
  const std::vector<StateWrite> view = {{.key = "p1", .value = "open"},
                                        {.key = "p2", .value = "closed"}};
  const std::vector<StateWrite> tracker = {{.key = "p1", .value = "3 funders"}};
  const std::vector<StateWrite> nothing;
  ASSERT_TRUE(store_
                  ->CommitAll({{.projection = "view",
                                .checkpoint = {.position = 40, .version = 2},
                                .writes = &view},
                               {.projection = "tracker",
                                .checkpoint = {.position = 40, .version = 5},
                                .writes = &tracker},
                               {.projection = "quiet",
                                .checkpoint = {.position = 40, .version = 1},
                                .writes = &nothing}})
                  .ok());
  Open();
  Stored stored_view;
  EXPECT_EQ(Load("view", &stored_view)->version, 2u);
  EXPECT_EQ(stored_view, (Stored{{"p1", "open"}, {"p2", "closed"}}));
  Stored stored_tracker;
  EXPECT_EQ(Load("tracker", &stored_tracker)->version, 5u);
  EXPECT_EQ(stored_tracker, (Stored{{"p1", "3 funders"}}));
  // A projection with no change still moves its checkpoint.
  Stored stored_quiet;
  const std::optional<Checkpoint> quiet = Load("quiet", &stored_quiet);
  ASSERT_TRUE(quiet.has_value());
  EXPECT_EQ(quiet->position, 40u);
  EXPECT_TRUE(stored_quiet.empty());
}

TEST_F(RocksDbProjectionStoreTest, ResetErasesOnlyThatProjection) {
  Open();
  ASSERT_TRUE(store_->Commit("view", {.position = 1}, {{"k", "v"}}).ok());
  ASSERT_TRUE(store_->Commit("view2", {.position = 2}, {{"k", "w"}}).ok());
  ASSERT_TRUE(store_->Reset("view").ok());
  Stored stored;
  EXPECT_FALSE(Load("view", &stored).has_value());
  EXPECT_TRUE(stored.empty());
  Stored other;
  EXPECT_EQ(Load("view2", &other)->position, 2u);
  EXPECT_EQ(other, (Stored{{"k", "w"}}));
}

TEST_F(RocksDbProjectionStoreTest, MissingFamilyIsInvalidArgument) {
  Open();
  EXPECT_TRUE(absl::IsInvalidArgument(
      RocksDbProjectionStore::Create(log_->db(), nullptr).status()));
}

}  // namespace
}  // namespace coopcraft::projections
