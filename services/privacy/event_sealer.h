// EventSealer: personal fields in and out of whole events, with the keys of
// a PersonKeyStore. The one place that decides where a sealed event keeps
// its ciphertexts: its `SealedPersonalData sealed_personal` field, which
// every event type with a personal field declares.
#ifndef COOPCRAFT_SERVICES_PRIVACY_EVENT_SEALER_H_
#define COOPCRAFT_SERVICES_PRIVACY_EVENT_SEALER_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/privacy/person_key_store.h"
#include "services/privacy/personal_fields.h"

namespace coopcraft::privacy {

// The field that holds an event's sealed personal data; null for types
// without personal fields. Cached per type.
const google::protobuf::FieldDescriptor* SealedFieldOf(
    const google::protobuf::Descriptor& type);

// Thread-safe; `keys` must outlive the sealer.
class EventSealer {
 public:
  explicit EventSealer(PersonKeyStore* keys) : keys_(keys) {}

  // Before an append: moves `event`'s set personal fields into its
  // sealed_personal field, encrypted with `person_id`'s key (created on
  // first use). A no-op for an event with no personal field set, which
  // needs no key. Errors: FAILED_PRECONDITION "PERSON_ERASED" (an erased
  // person's data is never written again), INVALID_ARGUMENT for a bad
  // person_id, INTERNAL when the type marks fields personal but declares no
  // sealed_personal field.
  absl::Status Seal(google::protobuf::Message& event,
                    std::string_view person_id) const;

  // After a read, for a caller allowed to see personal data: puts the
  // sealed fields back and clears sealed_personal (kRestored), or leaves
  // them sealed when the person was erased (kErased). kNothingSealed when
  // the event carries no sealed data. DATA_LOSS when a ciphertext fails.
  absl::StatusOr<UnsealOutcome> Unseal(google::protobuf::Message& event) const;

  // Whether `person_id` was erased (answered from memory).
  bool IsErased(std::string_view person_id) const {
    return keys_->IsErased(person_id);
  }

 private:
  PersonKeyStore* const keys_;
};

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_EVENT_SEALER_H_
