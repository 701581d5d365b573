// EventSealer over personal_fields and the key store.
#include "services/privacy/event_sealer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/sealed_personal_data.pb.h"

namespace coopcraft::privacy {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct TypeInfo {
  bool personal = false;
  const FieldDescriptor* sealed = nullptr;
};

// By value: a reference into the map would dangle once another thread's
// first use of a type grows it.
TypeInfo InfoOf(const Descriptor& type) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* cache = new absl::flat_hash_map<const Descriptor*, TypeInfo>();
  absl::MutexLock lock(&mu);
  auto [it, inserted] = cache->try_emplace(&type);
  if (inserted) {
    it->second.personal = HasPersonalFields(type);
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor* field = type.field(i);
      if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
          !field->is_repeated() &&
          field->message_type() == v1::SealedPersonalData::descriptor()) {
        it->second.sealed = field;
      }
    }
  }
  return it->second;
}

}  // namespace

const FieldDescriptor* SealedFieldOf(const Descriptor& type) {
  return InfoOf(type).sealed;
}

absl::Status EventSealer::Seal(Message& event,
                               std::string_view person_id) const {
  const TypeInfo info = InfoOf(*event.GetDescriptor());
  if (!info.personal) return absl::OkStatus();
  if (info.sealed == nullptr) {
    return absl::InternalError(absl::StrCat(
        event.GetDescriptor()->full_name(),
        " has personal fields but no SealedPersonalData field to seal them"));
  }
  // An event without personal data needs no key. Asking for one would
  // refuse it once the person is erased, and with it the facts that close
  // their project (an ended contract without notes).
  if (!HoldsPersonalData(event)) return absl::OkStatus();
  absl::StatusOr<DataKey> key = keys_->KeyFor(person_id);
  if (!key.ok()) return key.status();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, person_id, *key);
  if (!sealed.ok()) return sealed.status();
  if (sealed->fields_size() == 0) return absl::OkStatus();
  *static_cast<v1::SealedPersonalData*>(event.GetReflection()->MutableMessage(
      &event, info.sealed)) = *std::move(sealed);
  return absl::OkStatus();
}

absl::StatusOr<UnsealOutcome> EventSealer::Unseal(Message& event) const {
  const TypeInfo info = InfoOf(*event.GetDescriptor());
  const google::protobuf::Reflection* reflection = event.GetReflection();
  if (info.sealed == nullptr || !reflection->HasField(event, info.sealed)) {
    return UnsealOutcome::kNothingSealed;
  }
  // A copy: UnsealPersonalFields leaves the event unchanged on error.
  const v1::SealedPersonalData sealed =
      static_cast<const v1::SealedPersonalData&>(
          reflection->GetMessage(event, info.sealed));
  absl::StatusOr<std::optional<DataKey>> key =
      keys_->FindKey(sealed.person_id());
  if (!key.ok()) return key.status();
  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(event, sealed, *key);
  if (outcome.ok() && *outcome == UnsealOutcome::kRestored) {
    reflection->ClearField(&event, info.sealed);
  }
  return outcome;
}

}  // namespace coopcraft::privacy
