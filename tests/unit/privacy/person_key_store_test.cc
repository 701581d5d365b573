// PersonKeyStore: key lifecycle, durability across reopen, erasure, and that
// erasure really removes the key bytes from every file on disk.
#include "services/privacy/person_key_store.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::privacy {
namespace {

using ::coopcraft::testing::TempDir;
using ::testing::Contains;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::unique_ptr<PersonKeyStore> OpenStore(const std::string& path) {
  absl::StatusOr<std::unique_ptr<PersonKeyStore>> store =
      PersonKeyStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

// Names of the files under `dir` (recursively) whose bytes contain `key`.
// Tolerates files vanishing mid-scan (RocksDB deleting obsolete ones).
std::vector<std::string> FilesHoldingKey(const std::string& dir,
                                         const DataKey& key) {
  const std::string needle(reinterpret_cast<const char*>(key.data()),
                           key.size());
  std::vector<std::string> holders;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(dir, error), end;
       !error && it != end; it.increment(error)) {
    std::error_code type_error;
    if (!it->is_regular_file(type_error)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) {
      holders.push_back(it->path().filename().string());
    }
  }
  EXPECT_FALSE(error) << "scanning " << dir << ": " << error.message();
  return holders;
}

class PersonKeyStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.path() + "/keys"; }

  TempDir dir_;
};

TEST_F(PersonKeyStoreTest, SameKeyOnSecondCallAndAfterReopen) {
  DataKey first;
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    absl::StatusOr<DataKey> key = store->KeyFor("person-1");
    ASSERT_TRUE(key.ok()) << key.status();
    first = *key;
    absl::StatusOr<DataKey> again = store->KeyFor("person-1");
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, first);
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<DataKey>> found = store->FindKey("person-1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, first);
  absl::StatusOr<DataKey> key = store->KeyFor("person-1");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, first);
}

TEST_F(PersonKeyStoreTest, DistinctPersonsGetDistinctKeys) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<DataKey> a = store->KeyFor("person-a");
  absl::StatusOr<DataKey> b = store->KeyFor("person-b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST_F(PersonKeyStoreTest, FindKeyNeverCreatesAKey) {
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    absl::StatusOr<std::optional<DataKey>> found = store->FindKey("nobody");
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_FALSE(found->has_value());
    EXPECT_FALSE(store->IsErased("nobody"));
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<DataKey>> found = store->FindKey("nobody");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_F(PersonKeyStoreTest, PersonIdIsValidated) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  for (const std::string& bad : {std::string(), std::string(129, 'x')}) {
    EXPECT_EQ(store->KeyFor(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(store->KeyFor(bad).status().message()),
                HasSubstr("person_id"));
    EXPECT_EQ(store->FindKey(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store->Erase(bad).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(store->IsErased(bad));
  }
  EXPECT_TRUE(store->KeyFor(std::string(128, 'x')).ok());
}

TEST_F(PersonKeyStoreTest, SecondOpenOfTheSameDirectoryIsRefused) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(PersonKeyStore::Open(path()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersonKeyStoreTest, ErasedPersonHasNoKeyAndNeverGetsOneAgain) {
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->KeyFor("person-1").ok());
    ASSERT_TRUE(store->Erase("person-1").ok());

    EXPECT_TRUE(store->IsErased("person-1"));
    absl::StatusOr<std::optional<DataKey>> found = store->FindKey("person-1");
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_FALSE(found->has_value());
    absl::Status refused = store->KeyFor("person-1").status();
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(refused.message()), HasSubstr("PERSON_ERASED"));
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->IsErased("person-1"));
  absl::StatusOr<std::optional<DataKey>> found = store->FindKey("person-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(store->KeyFor("person-1").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersonKeyStoreTest, EraseLeavesOtherPersonsUntouched) {
  DataKey other;
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->KeyFor("person-1").ok());
    absl::StatusOr<DataKey> key = store->KeyFor("person-2");
    ASSERT_TRUE(key.ok());
    other = *key;
    ASSERT_TRUE(store->Erase("person-1").ok());
    EXPECT_FALSE(store->IsErased("person-2"));
    absl::StatusOr<DataKey> again = store->KeyFor("person-2");
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, other);
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<DataKey>> found = store->FindKey("person-2");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, other);
  // New persons still get keys after an erasure.
  EXPECT_TRUE(store->KeyFor("person-3").ok());
}

TEST_F(PersonKeyStoreTest, EraseIsIdempotentAndCoversPersonsWithoutAKey) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->KeyFor("person-1").ok());
  ASSERT_TRUE(store->Erase("person-1").ok());
  EXPECT_TRUE(store->Erase("person-1").ok());
  EXPECT_TRUE(store->IsErased("person-1"));

  // Never had a key: the marker still stops one being created later.
  EXPECT_TRUE(store->Erase("never-seen").ok());
  EXPECT_TRUE(store->IsErased("never-seen"));
  EXPECT_EQ(store->KeyFor("never-seen").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// What the caller must still record about an erasure survives a restart
// until it says the record is done.
TEST_F(PersonKeyStoreTest, PendingRecordLastsUntilClearedAcrossReopen) {
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->KeyFor("person-1").ok());
    ASSERT_TRUE(store->Erase("person-1", "record-1").ok());
    ASSERT_TRUE(store->Erase("person-2").ok());  // nothing pending
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<PersonKeyStore::PendingErasure>> pending =
      store->PendingRecords();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].person_id, "person-1");
  EXPECT_EQ((*pending)[0].record, "record-1");

  // A later erasure of the same person keeps the first record, and a clear
  // naming another record leaves it.
  ASSERT_TRUE(store->Erase("person-1", "record-2").ok());
  ASSERT_TRUE(store->ClearPendingRecord("person-1", "record-2").ok());
  pending = store->PendingRecords();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].record, "record-1");

  ASSERT_TRUE(store->ClearPendingRecord("person-1", "record-1").ok());
  store.reset();
  store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  pending = store->PendingRecords();
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(*pending, IsEmpty());
  EXPECT_TRUE(store->IsErased("person-1"));
  EXPECT_EQ(store->ClearPendingRecord("person-3", "record-3").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PersonKeyStoreTest, EraseRemovesKeyBytesHeldInTheWal) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<DataKey> key = store->KeyFor("person-1");
  ASSERT_TRUE(key.ok()) << key.status();
  // The write was synced, so the key is in the WAL now: the scan can see it.
  ASSERT_THAT(FilesHoldingKey(path(), *key), Not(IsEmpty()));

  ASSERT_TRUE(store->Erase("person-1").ok());
  EXPECT_THAT(FilesHoldingKey(path(), *key), IsEmpty());
  store.reset();
  EXPECT_THAT(FilesHoldingKey(path(), *key), IsEmpty());
}

TEST_F(PersonKeyStoreTest, EraseRemovesKeyBytesHeldInTablesAndKeepsOthers) {
  DataKey erased;
  DataKey kept;
  {
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    absl::StatusOr<DataKey> key = store->KeyFor("person-1");
    ASSERT_TRUE(key.ok()) << key.status();
    erased = *key;
  }
  {
    // Reopening flushes the recovered WAL into a table file, so the key now
    // sits in an SST; a second person lands in a second one.
    std::unique_ptr<PersonKeyStore> store = OpenStore(path());
    ASSERT_NE(store, nullptr);
    absl::StatusOr<DataKey> key = store->KeyFor("person-2");
    ASSERT_TRUE(key.ok()) << key.status();
    kept = *key;
  }
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  std::vector<std::string> holders = FilesHoldingKey(path(), erased);
  ASSERT_THAT(holders, Not(IsEmpty()));
  EXPECT_THAT(holders, Contains(EndsWith(".sst")));
  ASSERT_THAT(FilesHoldingKey(path(), kept), Not(IsEmpty()));

  ASSERT_TRUE(store->Erase("person-1").ok());
  EXPECT_THAT(FilesHoldingKey(path(), erased), IsEmpty());
  // The compaction rewrote the other key, it did not lose it.
  EXPECT_THAT(FilesHoldingKey(path(), kept), Not(IsEmpty()));
  store.reset();
  EXPECT_THAT(FilesHoldingKey(path(), erased), IsEmpty());

  store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<DataKey>> found = store->FindKey("person-2");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, kept);
}

TEST_F(PersonKeyStoreTest, ConcurrentCallersGetOneKeyPerPerson) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 8;
  std::vector<absl::StatusOr<DataKey>> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { keys[i] = store->KeyFor("person-1"); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::StatusOr<DataKey>& key : keys) {
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(*key, *keys[0]);
  }
}

TEST_F(PersonKeyStoreTest, ConcurrentErasuresEachLeaveNoKeyBytes) {
  std::unique_ptr<PersonKeyStore> store = OpenStore(path());
  ASSERT_NE(store, nullptr);
  constexpr int kPersons = 4;
  std::vector<DataKey> keys;
  for (int i = 0; i < kPersons; ++i) {
    absl::StatusOr<DataKey> key = store->KeyFor("person-" + std::to_string(i));
    ASSERT_TRUE(key.ok()) << key.status();
    keys.push_back(*key);
  }
  std::vector<absl::Status> results(kPersons);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPersons; ++i) {
    threads.emplace_back([&, i] {
      results[i] = store->Erase("person-" + std::to_string(i));
      // Each caller's guarantee holds when its own call returns.
      if (results[i].ok() && !FilesHoldingKey(path(), keys[i]).empty()) {
        results[i] = absl::InternalError("key bytes still on disk");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kPersons; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i];
    EXPECT_THAT(FilesHoldingKey(path(), keys[i]), IsEmpty());
  }
}

}  // namespace
}  // namespace coopcraft::privacy
