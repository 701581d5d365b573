// TokenStore: the bearer tokens coopcraftd accepts. Only each secret's
// SHA-256 is kept, so a copy of the data directory does not let anyone in.
#ifndef COOPCRAFT_SERVICES_AUTH_TOKEN_STORE_H_
#define COOPCRAFT_SERVICES_AUTH_TOKEN_STORE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/admin_service.pb.h"
#include "services/auth/principal.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace coopcraft::auth {

// The column family name to request through
// RocksDbEventLogOptions::extra_column_families.
inline constexpr char kTokenColumnFamily[] = "auth_tokens";

// A new token and the only copy of its secret.
struct IssuedToken {
  coopcraft::v1::AccessToken token;
  std::string secret;
};

// Thread-safe. Lookups read memory only; Create and Revoke write through to
// RocksDB with a synced write before they change what Lookup answers, so a
// revocation that returned survives a crash and an issued token is never
// forgotten.
//
// Stored layout (column family kTokenColumnFamily): key "t/<token_id>",
// value = 32-byte SHA-256 of the secret, then the serialized AccessToken.
// token_ids are "tok-" and a zero-padded sequence number, so key order is
// issue order.
class TokenStore {
 public:
  // Loads every stored token. `db` and `family` are not owned and must
  // outlive the store.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Open(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family);
  // Tokens in memory only, for tests of the layers above and in-process
  // benchmarks.
  static std::unique_ptr<TokenStore> InMemory();

  // A fresh secret: "cct_" and 256 random bits, base64url.
  static absl::StatusOr<std::string> NewSecret();

  // Issues a token for `secret` (from NewSecret; taking it as an argument
  // lets the first start write the secret to its file before the token
  // exists, so a crash in between cannot lock the operator out). The caller
  // validates principal, role and scope.
  absl::StatusOr<IssuedToken> Create(const std::string& principal,
                                     coopcraft::v1::Role role,
                                     const std::string& scope,
                                     const std::string& created_by,
                                     std::string secret);

  // The holder of `secret`; nullopt when unknown or revoked.
  std::optional<Principal> Lookup(absl::string_view secret) const;

  // Issued tokens in token_id order, from after `after_token_id`, at most
  // `limit`.
  std::vector<coopcraft::v1::AccessToken> List(
      bool include_revoked, const std::string& after_token_id,
      size_t limit) const;

  // Revokes `token_id`; NOT_FOUND when it was never issued. Revoking twice
  // returns the token unchanged.
  absl::StatusOr<coopcraft::v1::AccessToken> Revoke(
      const std::string& token_id, const std::string& revoked_by);

  // True when no token was ever issued: the first start of a data dir.
  bool empty() const;

  // True when `token_id` was issued and is not revoked.
  bool IsLive(const std::string& token_id) const;

  // How many revocations have taken effect. A call that outlives its
  // admission (a subscription) rechecks its token only when this moved, so
  // the check costs one atomic load while nothing is revoked.
  uint64_t revocations() const {
    return revocations_.load(std::memory_order_acquire);
  }

 private:
  struct Entry {
    std::string secret_hash;
    coopcraft::v1::AccessToken token;
  };

  TokenStore(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family)
      : db_(db), family_(family) {}
  absl::Status Persist(const Entry& entry);

  // Serialises Create and Revoke, so the synced write happens outside mu_
  // and lookups never wait for a disk.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);

  rocksdb::DB* const db_;  // null: memory only
  rocksdb::ColumnFamilyHandle* const family_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> by_id_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> active_by_hash_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_sequence_ ABSL_GUARDED_BY(write_mu_) = 1;
  // Raised after a revocation is visible to IsLive, so a reader that sees
  // the new count also sees the revoked token.
  std::atomic<uint64_t> revocations_{0};
};

}  // namespace coopcraft::auth

#endif  // COOPCRAFT_SERVICES_AUTH_TOKEN_STORE_H_
