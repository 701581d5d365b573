// Pseudonymizer: the stable pseudonymous ids AUDITOR and DASHBOARD callers
// see instead of person ids. The same person always gets the same
// pseudonym, so counts and joins still work; without the server's key the
// pseudonym cannot be traced back, even by trying every likely id.
#ifndef COOPCRAFT_SERVICES_PRIVACY_PSEUDONYMIZER_H_
#define COOPCRAFT_SERVICES_PRIVACY_PSEUDONYMIZER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/privacy/field_cipher.h"
#include "services/privacy/person_key_store.h"

namespace coopcraft::privacy {

// The key store entry that holds the pseudonym key. Not a valid person id
// for the API (ids are [a-z0-9-]), so no person can collide with it or
// erase it.
inline constexpr char kPseudonymKeyEntry[] = "~pseudonym-key";

// Thread-safe and immutable.
class Pseudonymizer {
 public:
  // With the key kept in `keys` (created on the first start).
  static absl::StatusOr<std::unique_ptr<Pseudonymizer>> Create(
      PersonKeyStore& keys);
  explicit Pseudonymizer(const DataKey& key) : key_(key) {}

  // "anon-" and 24 hex digits of HMAC-SHA256(key, person_id).
  std::string Pseudonym(std::string_view person_id) const;

  // Replaces every non-empty string field named `person_id`, at any depth
  // of `message`, with its pseudonym. Returns whether anything changed.
  bool Apply(google::protobuf::Message& message) const;

  // Whether messages of `type` can hold a person_id anywhere (cached).
  static bool MentionsPeople(const google::protobuf::Descriptor& type);

 private:
  const DataKey key_;
};

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_PSEUDONYMIZER_H_
