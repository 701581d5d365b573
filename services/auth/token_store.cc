// TokenStore: hashed bearer tokens, loaded once, written through.
#include "services/auth/token_store.h"

#include <openssl/rand.h>
#include <rocksdb/db.h>

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/base/sha256.h"

namespace coopcraft::auth {
namespace {

constexpr absl::string_view kKeyPrefix = "t/";
constexpr absl::string_view kIdPrefix = "tok-";
constexpr size_t kHashBytes = kSha256Size;
// 256 bits from the system's CSPRNG: guessing is not an attack.
constexpr size_t kSecretBytes = 32;

std::string SecretHash(absl::string_view secret) {
  return Sha256Bytes({std::string_view(secret.data(), secret.size())});
}

}  // namespace

absl::StatusOr<std::string> TokenStore::NewSecret() {
  std::array<unsigned char, kSecretBytes> bytes;
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  // A recognisable prefix lets secret scanners find leaked tokens.
  return absl::StrCat(
      "cct_", absl::WebSafeBase64Escape(absl::string_view(
                  reinterpret_cast<const char*>(bytes.data()), bytes.size())));
}

namespace {

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(absl::Now()));
}

uint64_t SequenceOf(absl::string_view token_id) {
  uint64_t sequence = 0;
  if (!absl::ConsumePrefix(&token_id, kIdPrefix) ||
      !absl::SimpleAtoi(token_id, &sequence)) {
    return 0;
  }
  return sequence;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Open(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) {
  if (db == nullptr || family == nullptr) {
    return absl::InvalidArgumentError("TokenStore needs a db and a family");
  }
  auto store = std::unique_ptr<TokenStore>(new TokenStore(db, family));
  absl::MutexLock write(&store->write_mu_);
  absl::MutexLock lock(&store->mu_);
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(std::string(kKeyPrefix)); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (!key.starts_with(std::string(kKeyPrefix))) break;
    const rocksdb::Slice value = it->value();
    Entry entry;
    if (value.size() < kHashBytes ||
        !entry.token.ParseFromArray(
            value.data() + kHashBytes,
            static_cast<int>(value.size() - kHashBytes))) {
      return absl::DataLossError(
          absl::StrCat("stored token ", key.ToString(), " is unreadable"));
    }
    entry.secret_hash.assign(value.data(), kHashBytes);
    const std::string token_id = entry.token.token_id();
    store->next_sequence_ =
        std::max(store->next_sequence_, SequenceOf(token_id) + 1);
    if (!entry.token.revoked()) {
      store->active_by_hash_[entry.secret_hash] = token_id;
    }
    store->by_id_[token_id] = std::move(entry);
  }
  if (!it->status().ok()) {
    return absl::InternalError(
        absl::StrCat("reading tokens: ", it->status().ToString()));
  }
  return store;
}

std::unique_ptr<TokenStore> TokenStore::InMemory() {
  return std::unique_ptr<TokenStore>(new TokenStore(nullptr, nullptr));
}

absl::Status TokenStore::Persist(const Entry& entry) {
  if (db_ == nullptr) return absl::OkStatus();
  std::string value = entry.secret_hash;
  entry.token.AppendToString(&value);
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status status =
      db_->Put(options, family_,
               absl::StrCat(kKeyPrefix, entry.token.token_id()), value);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("storing token: ", status.ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<IssuedToken> TokenStore::Create(const std::string& principal,
                                               coopcraft::v1::Role role,
                                               const std::string& scope,
                                               const std::string& created_by,
                                               std::string secret) {
  absl::MutexLock write(&write_mu_);
  Entry entry;
  entry.secret_hash = SecretHash(secret);
  entry.token.set_token_id(
      absl::StrFormat("%s%08d", kIdPrefix, next_sequence_));
  entry.token.set_principal(principal);
  entry.token.set_role(role);
  entry.token.set_scope(scope);
  *entry.token.mutable_created_at() = Now();
  entry.token.set_created_by(created_by);
  if (absl::Status stored = Persist(entry); !stored.ok()) return stored;
  ++next_sequence_;

  IssuedToken issued{.token = entry.token, .secret = std::move(secret)};
  absl::MutexLock lock(&mu_);
  active_by_hash_[entry.secret_hash] = entry.token.token_id();
  by_id_[entry.token.token_id()] = std::move(entry);
  return issued;
}

std::optional<Principal> TokenStore::Lookup(absl::string_view secret) const {
  const std::string hash = SecretHash(secret);
  absl::ReaderMutexLock lock(&mu_);
  auto active = active_by_hash_.find(hash);
  if (active == active_by_hash_.end()) return std::nullopt;
  const coopcraft::v1::AccessToken& token = by_id_.at(active->second).token;
  return Principal{.id = token.principal(),
                   .role = token.role(),
                   .scope = token.scope(),
                   .token_id = token.token_id()};
}

std::vector<coopcraft::v1::AccessToken> TokenStore::List(
    bool include_revoked, const std::string& after_token_id,
    size_t limit) const {
  std::vector<coopcraft::v1::AccessToken> tokens;
  absl::ReaderMutexLock lock(&mu_);
  for (auto it = by_id_.upper_bound(after_token_id);
       it != by_id_.end() && tokens.size() < limit; ++it) {
    if (!include_revoked && it->second.token.revoked()) continue;
    tokens.push_back(it->second.token);
  }
  return tokens;
}

absl::StatusOr<coopcraft::v1::AccessToken> TokenStore::Revoke(
    const std::string& token_id, const std::string& revoked_by) {
  absl::MutexLock write(&write_mu_);
  Entry entry;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = by_id_.find(token_id);
    if (it == by_id_.end()) {
      return absl::NotFoundError(
          absl::StrCat("TOKEN_NOT_FOUND: no token ", token_id));
    }
    if (it->second.token.revoked()) return it->second.token;
    entry = it->second;
  }
  entry.token.set_revoked(true);
  *entry.token.mutable_revoked_at() = Now();
  entry.token.set_revoked_by(revoked_by);
  if (absl::Status stored = Persist(entry); !stored.ok()) return stored;
  {
    absl::MutexLock lock(&mu_);
    active_by_hash_.erase(entry.secret_hash);
    by_id_[token_id] = entry;
  }
  revocations_.fetch_add(1, std::memory_order_release);
  return entry.token;
}

bool TokenStore::IsLive(const std::string& token_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = by_id_.find(token_id);
  return it != by_id_.end() && !it->second.token.revoked();
}

bool TokenStore::empty() const {
  absl::ReaderMutexLock lock(&mu_);
  return by_id_.empty();
}

}  // namespace coopcraft::auth
