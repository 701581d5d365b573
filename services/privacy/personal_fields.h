// Sealing and unsealing the personal fields of any event message, driven by
// the [(coopcraft.v1.personal) = true] field option: no per-event code, so a
// new event type is covered as soon as its proto marks its fields.
//
// Only top-level fields are considered, and they must be singular message,
// string or bytes fields (events keep personal data in one sub-message; see
// proto/coopcraft/v1/options.proto).
//
// Each sealed value is bound, through AES-GCM associated data, to
// "<event full type name>/<field number>/<person_id>": moving it to another
// event type, field or person makes it fail to open instead of showing one
// person's data as another's.
#ifndef COOPCRAFT_SERVICES_PRIVACY_PERSONAL_FIELDS_H_
#define COOPCRAFT_SERVICES_PRIVACY_PERSONAL_FIELDS_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "coopcraft/v1/sealed_personal_data.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/privacy/field_cipher.h"

namespace coopcraft::privacy {

// True when some top-level field of `type` is marked personal.
bool HasPersonalFields(const google::protobuf::Descriptor& type);

// True when `event` holds personal data: a personal field is set (as
// SealPersonalFields counts it), or the type marks one personal that
// SealPersonalFields refuses, so that sealing goes on to report it.
bool HoldsPersonalData(const google::protobuf::Message& event);

// Moves every set personal field of `event` (message or string or bytes
// non-empty) into the returned SealedPersonalData, sealed with `key`
// (person_id's key), and clears it in `event`. `fields` is empty when no
// personal field was set. On error `event` is unchanged.
// INVALID_ARGUMENT for an empty person_id, or when the type marks a repeated
// or scalar field personal (no event does; supporting it would need a
// per-element encoding nothing uses yet). INTERNAL when OpenSSL fails.
absl::StatusOr<v1::SealedPersonalData> SealPersonalFields(
    google::protobuf::Message& event, std::string_view person_id,
    const DataKey& key);

enum class UnsealOutcome {
  // `sealed` held no fields: the event had no personal data set.
  kNothingSealed,
  // Every sealed field was opened and put back into the event.
  kRestored,
  // No key (the person was erased): the personal fields stay cleared.
  kErased,
};

// Puts the fields sealed by SealPersonalFields back into `event`, using
// `key` (the key of sealed.person_id, or nullopt once that person is erased;
// a caller not allowed to see personal data should not unseal at all, which
// leaves the fields cleared just the same). DATA_LOSS when a field fails to
// open (altered bytes, wrong key, or a value moved from another event,
// field or person), does not parse, is sealed twice, or is not a personal
// field of this event type. On error `event` is unchanged.
absl::StatusOr<UnsealOutcome> UnsealPersonalFields(
    google::protobuf::Message& event, const v1::SealedPersonalData& sealed,
    const std::optional<DataKey>& key);

}  // namespace coopcraft::privacy

#endif  // COOPCRAFT_SERVICES_PRIVACY_PERSONAL_FIELDS_H_
