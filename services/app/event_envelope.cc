// Envelope <-> typed payload through protobuf reflection.
#include "services/app/event_envelope.h"

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"

namespace coopcraft::app {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::OneofDescriptor;

const OneofDescriptor* EventOneof(const Descriptor* envelope) {
  return envelope->FindOneofByName("event");
}

using TypeIndex = absl::flat_hash_map<std::string, const FieldDescriptor*>;

// type name -> oneof field of `envelope`, built once per envelope type and
// never freed.
const TypeIndex& BuildTypeIndex(const Descriptor* envelope) {
  static absl::Mutex mutex(absl::kConstInit);
  static auto* indexes ABSL_GUARDED_BY(mutex) =
      new absl::flat_hash_map<const Descriptor*, const TypeIndex*>();
  absl::MutexLock lock(&mutex);
  auto [it, inserted] = indexes->try_emplace(envelope, nullptr);
  if (inserted) {
    auto* index = new TypeIndex();
    if (const OneofDescriptor* oneof = EventOneof(envelope)) {
      for (int i = 0; i < oneof->field_count(); ++i) {
        const FieldDescriptor* field = oneof->field(i);
        if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
          (*index)[field->message_type()->full_name()] = field;
        }
      }
    }
    it->second = index;
  }
  return *it->second;
}

const FieldDescriptor* FieldForType(const Descriptor* envelope,
                                    const std::string& type) {
  // Every event read looks its type up here, from many threads at once: a
  // per-thread copy of the pointers keeps them off the shared mutex.
  thread_local absl::flat_hash_map<const Descriptor*, const TypeIndex*> cache;
  const TypeIndex*& index = cache[envelope];
  if (index == nullptr) index = &BuildTypeIndex(envelope);
  auto found = index->find(type);
  return found == index->end() ? nullptr : found->second;
}

// The set case of `envelope`'s oneof, or null.
const FieldDescriptor* SetCase(const google::protobuf::Message& envelope) {
  const OneofDescriptor* oneof = EventOneof(envelope.GetDescriptor());
  if (oneof == nullptr) return nullptr;
  return envelope.GetReflection()->GetOneofFieldDescriptor(envelope, oneof);
}

// The set case of `envelope`'s oneof when its event type declares sealed
// personal data, else null.
const FieldDescriptor* SealedSetCase(
    const google::protobuf::Message& envelope) {
  const FieldDescriptor* field = SetCase(envelope);
  if (field == nullptr ||
      privacy::SealedFieldOf(*field->message_type()) == nullptr) {
    return nullptr;
  }
  return field;
}

}  // namespace

bool SealsPersonalData(const google::protobuf::Message& envelope) {
  return SealedSetCase(envelope) != nullptr;
}

absl::StatusOr<TypedPayload> PackEnvelopeSealed(
    const google::protobuf::Message& envelope,
    const privacy::EventSealer& sealer, std::string_view subject) {
  const FieldDescriptor* field = SealedSetCase(envelope);
  if (field == nullptr) {
    return PackEnvelope(envelope);  // nothing personal: no copy
  }
  const auto& event = envelope.GetReflection()->GetMessage(envelope, field);
  std::unique_ptr<google::protobuf::Message> sealed(event.New());
  sealed->CopyFrom(event);
  std::string person(subject);
  if (const FieldDescriptor* own =
          sealed->GetDescriptor()->FindFieldByName("person_id");
      own != nullptr && own->type() == FieldDescriptor::TYPE_STRING &&
      !own->is_repeated()) {
    std::string value = sealed->GetReflection()->GetString(*sealed, own);
    if (!value.empty()) person = std::move(value);
  }
  if (absl::Status status = sealer.Seal(*sealed, person); !status.ok()) {
    return status;
  }
  return TypedPayload{.type = sealed->GetDescriptor()->full_name(),
                      .payload = sealed->SerializeAsString()};
}

absl::Status UnsealEnvelope(google::protobuf::Message* envelope,
                            const privacy::EventSealer& sealer) {
  const FieldDescriptor* field = SetCase(*envelope);
  if (field == nullptr ||
      privacy::SealedFieldOf(*field->message_type()) == nullptr) {
    return absl::OkStatus();
  }
  auto* event = envelope->GetReflection()->MutableMessage(envelope, field);
  return sealer.Unseal(*event).status();
}

absl::StatusOr<TypedPayload> PackEnvelope(
    const google::protobuf::Message& envelope) {
  const Descriptor* descriptor = envelope.GetDescriptor();
  const OneofDescriptor* oneof = EventOneof(descriptor);
  if (oneof == nullptr) {
    return absl::InternalError(
        absl::StrCat(descriptor->full_name(), " has no oneof 'event'"));
  }
  const FieldDescriptor* field =
      envelope.GetReflection()->GetOneofFieldDescriptor(envelope, oneof);
  if (field == nullptr) {
    return absl::InternalError(
        absl::StrCat("empty ", descriptor->full_name(), " produced"));
  }
  const auto& event = envelope.GetReflection()->GetMessage(envelope, field);
  return TypedPayload{.type = event.GetDescriptor()->full_name(),
                      .payload = event.SerializeAsString()};
}

absl::Status UnpackEnvelope(const coopcraft::v1::EventRecord& record,
                            google::protobuf::Message* envelope) {
  envelope->Clear();
  const FieldDescriptor* field =
      FieldForType(envelope->GetDescriptor(), record.type());
  if (field == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "event type ", record.type(), " at position ", record.position(),
        " is not a ", envelope->GetDescriptor()->full_name()));
  }
  auto* event = envelope->GetReflection()->MutableMessage(envelope, field);
  if (!event->ParseFromString(record.payload())) {
    return absl::DataLossError(absl::StrCat("payload of ", record.type(),
                                            " at position ", record.position(),
                                            " does not parse"));
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::app
