// Pseudonymizer: HMAC-SHA256 over person ids, applied by reflection.
#include "services/privacy/pseudonymizer.h"

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace coopcraft::privacy {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kPersonField[] = "person_id";
constexpr size_t kPseudonymHexDigits = 24;  // 96 bits: no collisions here

bool IsPersonField(const FieldDescriptor& field) {
  return field.name() == kPersonField &&
         field.type() == FieldDescriptor::TYPE_STRING && !field.is_repeated();
}

// Depth-first over message-typed fields; `visiting` breaks cycles of
// recursive types.
bool Mentions(const Descriptor& type,
              absl::flat_hash_map<const Descriptor*, bool>& known) {
  if (auto it = known.find(&type); it != known.end()) return it->second;
  known[&type] = false;  // provisional, while visiting
  bool mentions = false;
  for (int i = 0; i < type.field_count() && !mentions; ++i) {
    const FieldDescriptor& field = *type.field(i);
    mentions = IsPersonField(field) ||
               (field.type() == FieldDescriptor::TYPE_MESSAGE &&
                Mentions(*field.message_type(), known));
  }
  known[&type] = mentions;
  return mentions;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Pseudonymizer>> Pseudonymizer::Create(
    PersonKeyStore& keys) {
  absl::StatusOr<DataKey> key = keys.KeyFor(kPseudonymKeyEntry);
  if (!key.ok()) return key.status();
  return std::make_unique<Pseudonymizer>(*key);
}

std::string Pseudonymizer::Pseudonym(std::string_view person_id) const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(person_id.data()),
       person_id.size(), digest, &length);
  const std::string hex = absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), kPseudonymHexDigits / 2));
  return absl::StrCat("anon-", hex);
}

bool Pseudonymizer::MentionsPeople(const Descriptor& type) {
  // Asked for every field of every message pseudonymised: a per-thread copy
  // of the answers keeps the shared lock off that path.
  thread_local absl::flat_hash_map<const Descriptor*, bool> local;
  if (auto it = local.find(&type); it != local.end()) return it->second;
  static absl::Mutex mu(absl::kConstInit);
  static auto* known = new absl::flat_hash_map<const Descriptor*, bool>();
  bool mentions = false;
  {
    absl::MutexLock lock(&mu);
    mentions = Mentions(type, *known);
  }
  local.emplace(&type, mentions);
  return mentions;
}

bool Pseudonymizer::Apply(Message& message) const {
  const Descriptor& type = *message.GetDescriptor();
  if (!MentionsPeople(type)) return false;
  const Reflection& reflection = *message.GetReflection();
  bool changed = false;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    if (IsPersonField(*field)) {
      const std::string id = reflection.GetString(message, field);
      if (!id.empty()) {
        reflection.SetString(&message, field, Pseudonym(id));
        changed = true;
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
               MentionsPeople(*field->message_type())) {
      if (field->is_repeated()) {
        for (int j = 0; j < reflection.FieldSize(message, field); ++j) {
          changed |=
              Apply(*reflection.MutableRepeatedMessage(&message, field, j));
        }
      } else if (reflection.HasField(message, field)) {
        changed |= Apply(*reflection.MutableMessage(&message, field));
      }
    }
  }
  return changed;
}

}  // namespace coopcraft::privacy
