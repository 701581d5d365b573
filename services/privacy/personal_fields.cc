// Reflection-driven sealing of the fields marked coopcraft.v1.personal.
#include "services/privacy/personal_fields.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "coopcraft/v1/options.pb.h"
#include "services/base/status_macros.h"
#include "services/base/string_view.h"

namespace coopcraft::privacy {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsPersonal(const FieldDescriptor& field) {
  return field.options().GetExtension(coopcraft::v1::personal);
}

// The personal fields of `type`, after checking each is of a supported kind.
absl::StatusOr<std::vector<const FieldDescriptor*>> PersonalFields(
    const Descriptor& type) {
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    if (!IsPersonal(*field)) continue;
    if (field->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field->full_name(),
          " is a repeated personal field; only singular message, string and "
          "bytes fields can be sealed (no event has a repeated one)"));
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE &&
        field->type() != FieldDescriptor::TYPE_STRING &&
        field->type() != FieldDescriptor::TYPE_BYTES) {
      return absl::InvalidArgumentError(
          absl::StrCat(field->full_name(),
                       " is a personal field of a scalar type; only message, "
                       "string and bytes fields can be sealed"));
    }
    fields.push_back(field);
  }
  return fields;
}

std::string AssociatedData(const Descriptor& type, int field_number,
                           std::string_view person_id) {
  return absl::StrCat(type.full_name(), "/", field_number, "/",
                      ToAbsl(person_id));
}

bool IsSet(const Message& event, const FieldDescriptor& field) {
  const Reflection& reflection = *event.GetReflection();
  if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
    // An empty message says nothing about the person, like an empty
    // string: a client that always sends `notes {}` must not need a key
    // (and be refused once the person is erased) for it.
    return reflection.HasField(event, &field) &&
           reflection.GetMessage(event, &field).ByteSizeLong() > 0;
  }
  std::string scratch;
  return !reflection.GetStringReference(event, &field, &scratch).empty();
}

}  // namespace

bool HasPersonalFields(const Descriptor& type) {
  for (int i = 0; i < type.field_count(); ++i) {
    if (IsPersonal(*type.field(i))) return true;
  }
  return false;
}

bool HoldsPersonalData(const Message& event) {
  const Descriptor& type = *event.GetDescriptor();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (!IsPersonal(field)) continue;
    if (field.is_repeated() || (field.type() != FieldDescriptor::TYPE_MESSAGE &&
                                field.type() != FieldDescriptor::TYPE_STRING &&
                                field.type() != FieldDescriptor::TYPE_BYTES)) {
      return true;
    }
    if (IsSet(event, field)) return true;
  }
  return false;
}

absl::StatusOr<v1::SealedPersonalData> SealPersonalFields(
    Message& event, std::string_view person_id, const DataKey& key) {
  if (person_id.empty()) {
    return absl::InvalidArgumentError(
        "person_id must be set to seal personal fields");
  }
  const Descriptor& type = *event.GetDescriptor();
  const Reflection& reflection = *event.GetReflection();
  ASSIGN_OR_RETURN(std::vector<const FieldDescriptor*> fields,
                   PersonalFields(type));

  v1::SealedPersonalData sealed;
  sealed.set_person_id(std::string(person_id));
  std::vector<const FieldDescriptor*> to_clear;
  for (const FieldDescriptor* field : fields) {
    if (!IsSet(event, *field)) continue;
    std::string plaintext;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!reflection.GetMessage(event, field).SerializeToString(&plaintext)) {
        return absl::InternalError(
            absl::StrCat("cannot serialize ", field->full_name()));
      }
    } else {
      plaintext = reflection.GetString(event, field);
    }
    ASSIGN_OR_RETURN(
        std::string ciphertext,
        SealField(key, plaintext,
                  AssociatedData(type, field->number(), person_id)));
    v1::SealedField* out = sealed.add_fields();
    out->set_field_number(field->number());
    out->set_sealed(std::move(ciphertext));
    to_clear.push_back(field);
  }
  // Only once everything is sealed, so that a failure leaves the event as
  // it was.
  for (const FieldDescriptor* field : to_clear) {
    reflection.ClearField(&event, field);
  }
  return sealed;
}

absl::StatusOr<UnsealOutcome> UnsealPersonalFields(
    Message& event, const v1::SealedPersonalData& sealed,
    const std::optional<DataKey>& key) {
  if (sealed.fields().empty()) return UnsealOutcome::kNothingSealed;
  const Descriptor& type = *event.GetDescriptor();
  const Reflection& reflection = *event.GetReflection();

  // Check where every value goes before touching the event.
  std::vector<const FieldDescriptor*> targets;
  absl::flat_hash_set<int> seen;
  for (const v1::SealedField& field : sealed.fields()) {
    const FieldDescriptor* target =
        type.FindFieldByNumber(field.field_number());
    if (target == nullptr || !IsPersonal(*target) || target->is_repeated() ||
        (target->type() != FieldDescriptor::TYPE_MESSAGE &&
         target->type() != FieldDescriptor::TYPE_STRING &&
         target->type() != FieldDescriptor::TYPE_BYTES)) {
      return absl::DataLossError(absl::StrCat(
          "sealed personal data names field ", field.field_number(),
          ", which is not a personal field "
          "of ",
          type.full_name()));
    }
    if (!seen.insert(field.field_number()).second) {
      return absl::DataLossError(absl::StrCat(
          "sealed personal data holds field ", field.field_number(), " of ",
          type.full_name(), " more than once"));
    }
    targets.push_back(target);
  }

  if (!key.has_value()) {
    // Erased: the values are unreadable for good. Make sure nothing of them
    // shows, even if the stored event was (wrongly) written with them set.
    for (const FieldDescriptor* target : targets) {
      reflection.ClearField(&event, target);
    }
    return UnsealOutcome::kErased;
  }

  // Open and parse everything first, so that a failure leaves the event as
  // it was.
  std::vector<std::string> plaintexts;
  std::vector<std::unique_ptr<Message>> messages;
  plaintexts.reserve(targets.size());
  messages.reserve(targets.size());
  for (int i = 0; i < sealed.fields_size(); ++i) {
    const FieldDescriptor* target = targets[i];
    absl::StatusOr<std::string> plaintext =
        OpenField(*key, sealed.fields(i).sealed(),
                  AssociatedData(type, target->number(), sealed.person_id()));
    if (!plaintext.ok()) {
      return absl::DataLossError(
          absl::StrCat("personal field ", target->full_name(), " of person ",
                       sealed.person_id(), ": ", plaintext.status().message()));
    }
    std::unique_ptr<Message> message;
    if (target->type() == FieldDescriptor::TYPE_MESSAGE) {
      message.reset(reflection.GetMessage(event, target).New());
      if (!message->ParseFromString(*plaintext)) {
        return absl::DataLossError(
            absl::StrCat("personal field ", target->full_name(),
                         " opened but does not parse as ",
                         target->message_type()->full_name()));
      }
    }
    plaintexts.push_back(*std::move(plaintext));
    messages.push_back(std::move(message));
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (messages[i] != nullptr) {
      reflection.MutableMessage(&event, targets[i])->CopyFrom(*messages[i]);
    } else {
      reflection.SetString(&event, targets[i], std::move(plaintexts[i]));
    }
  }
  return UnsealOutcome::kRestored;
}

}  // namespace coopcraft::privacy
