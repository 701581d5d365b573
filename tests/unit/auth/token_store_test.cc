// TokenStore over a real RocksDB: hashed storage, reopening, revocation.
#include "services/auth/token_store.h"

#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::auth {
namespace {

namespace v1 = ::coopcraft::v1;

class TokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void TearDown() override { Close(); }

  void Close() {
    store_.reset();
    db_.reset();
  }
  void Reopen() {
    Close();
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.path() + "/db", &db).ok());
    db_.reset(db);
    auto store = TokenStore::Open(db_.get(), db_->DefaultColumnFamily());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  IssuedToken Issue(const std::string& principal, v1::Role role,
                    const std::string& scope = "") {
    auto secret = TokenStore::NewSecret();
    EXPECT_TRUE(secret.ok());
    auto issued = store_->Create(principal, role, scope, "test", *secret);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return *issued;
  }

  testing::TempDir dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<TokenStore> store_;
};

TEST_F(TokenStoreTest, ANewStoreIsEmptyAndKnowsNoSecret) {
  EXPECT_TRUE(store_->empty());
  EXPECT_FALSE(store_->Lookup("cct_anything").has_value());
}

TEST_F(TokenStoreTest, LookupFindsThePrincipalOfASecret) {
  const IssuedToken cpas = Issue("worker", v1::ROLE_CPAS, "cpas-ixelles");
  const std::optional<Principal> found = store_->Lookup(cpas.secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "worker");
  EXPECT_EQ(found->role, v1::ROLE_CPAS);
  EXPECT_EQ(found->scope, "cpas-ixelles");
  EXPECT_EQ(found->token_id, cpas.token.token_id());
  EXPECT_FALSE(store_->Lookup(cpas.secret + "x").has_value());
  EXPECT_FALSE(store_->empty());
}

TEST_F(TokenStoreTest, SecretsAreUniqueAndLong) {
  auto a = TokenStore::NewSecret();
  auto b = TokenStore::NewSecret();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_GE(a->size(), 40u);
}

TEST_F(TokenStoreTest, RevocationTakesEffectAtOnceAndSurvivesReopening) {
  const IssuedToken kept = Issue("kept", v1::ROLE_COACH);
  const IssuedToken gone = Issue("gone", v1::ROLE_COACH);
  auto revoked = store_->Revoke(gone.token.token_id(), "admin");
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->revoked());
  EXPECT_EQ(revoked->revoked_by(), "admin");
  EXPECT_FALSE(store_->Lookup(gone.secret).has_value());
  // Twice is fine and changes nothing.
  auto again = store_->Revoke(gone.token.token_id(), "someone else");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked_by(), "admin");

  Reopen();
  EXPECT_TRUE(store_->Lookup(kept.secret).has_value());
  EXPECT_FALSE(store_->Lookup(gone.secret).has_value());
  EXPECT_EQ(store_->Revoke("tok-99999999", "admin").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TokenStoreTest, ListIsInIssueOrderPagedAndHidesRevokedOnRequest) {
  const IssuedToken first = Issue("first", v1::ROLE_COACH);
  const IssuedToken second = Issue("second", v1::ROLE_DASHBOARD);
  const IssuedToken third = Issue("third", v1::ROLE_AUDITOR);
  ASSERT_TRUE(store_->Revoke(second.token.token_id(), "admin").ok());

  auto all = store_->List(true, "", 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].principal(), "first");
  EXPECT_EQ(all[2].principal(), "third");
  auto live = store_->List(false, "", 10);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[1].principal(), "third");
  auto page = store_->List(true, first.token.token_id(), 1);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].principal(), "second");

  // Ids keep increasing after reopening: never reused.
  Reopen();
  const IssuedToken fourth = Issue("fourth", v1::ROLE_COACH);
  EXPECT_GT(fourth.token.token_id(), third.token.token_id());
}

TEST_F(TokenStoreTest, OnlyHashesReachTheDisk) {
  const IssuedToken token = Issue("hashed", v1::ROLE_COACH);
  ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions()).ok());
  Close();
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    ++files;
    EXPECT_FALSE(absl::StrContains(bytes.str(), token.secret)) << entry.path();
    if (absl::StrContains(entry.path().string(), ".sst")) {
      // The record itself is there, so the scan looks at the right bytes.
      EXPECT_TRUE(absl::StrContains(bytes.str(), token.token.token_id()));
    }
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace coopcraft::auth
