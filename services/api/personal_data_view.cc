// PersonalDataView: descriptor-driven, so no per-event code to forget when
// an event type gains a personal field.
#include "services/api/personal_data_view.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "coopcraft/v1/options.pb.h"
#include "coopcraft/v1/sealed_personal_data.pb.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The personal fields of one event type; empty for most.
struct PersonalFields {
  const Descriptor* type = nullptr;
  std::vector<const FieldDescriptor*> fields;
  const FieldDescriptor* sealed = nullptr;
  // Whether it can hold a person_id, at any depth (pseudonyms).
  bool mentions_people = false;
};

const PersonalFields& SharedFieldsOf(absl::string_view type_name) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* cache =
      new absl::flat_hash_map<std::string, std::unique_ptr<PersonalFields>>();
  absl::MutexLock lock(&mu);
  auto& entry = (*cache)[type_name];
  if (entry == nullptr) {
    entry = std::make_unique<PersonalFields>();
    // Only our generated types: a stored type name cannot load anything.
    entry->type = google::protobuf::DescriptorPool::generated_pool()
                      ->FindMessageTypeByName(std::string(type_name));
    if (entry->type != nullptr) {
      for (int i = 0; i < entry->type->field_count(); ++i) {
        const FieldDescriptor* field = entry->type->field(i);
        if (field->options().GetExtension(v1::personal)) {
          entry->fields.push_back(field);
        }
      }
      entry->sealed = privacy::SealedFieldOf(*entry->type);
      entry->mentions_people =
          privacy::Pseudonymizer::MentionsPeople(*entry->type);
    }
  }
  return *entry;
}

// Every delivered event asks, from every subscriber's thread: a per-thread
// copy of the answers keeps the shared lock off that path. Entries of the
// shared map are never removed, so the pointers stay valid.
const PersonalFields& FieldsOf(absl::string_view type_name) {
  thread_local absl::flat_hash_map<std::string, const PersonalFields*> local;
  auto it = local.find(type_name);
  if (it == local.end()) {
    it =
        local.emplace(std::string(type_name), &SharedFieldsOf(type_name)).first;
  }
  return *it->second;
}

absl::string_view TypeOf(const v1::RecordedEvent& event) {
  absl::string_view url = event.payload().type_url();
  const size_t slash = url.rfind('/');
  return slash == absl::string_view::npos ? url : url.substr(slash + 1);
}

}  // namespace

namespace {

bool IsSet(const google::protobuf::Message& message,
           const FieldDescriptor* field) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  return field->is_repeated() ? reflection->FieldSize(message, field) > 0
                              : reflection->HasField(message, field);
}

}  // namespace

bool PersonalDataView::LeavesAsStored(bool may_see,
                                      const v1::RecordedEvent& event) const {
  const PersonalFields& personal = FieldsOf(TypeOf(event));
  return personal.fields.empty() &&
         (may_see || pseudonymizer_ == nullptr || !personal.mentions_people);
}

std::optional<std::string> PersonalDataView::Apply(
    bool may_see, v1::RecordedEvent* event) const {
  if (LeavesAsStored(may_see, *event)) return std::nullopt;
  const PersonalFields& personal = FieldsOf(TypeOf(*event));
  const bool pseudonymize =
      !may_see && pseudonymizer_ != nullptr && personal.mentions_people;
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(personal.type)
          ->New());
  std::string* payload = event->mutable_payload()->mutable_value();
  if (!message->ParseFromString(*payload)) {
    // Unreadable bytes may hold anything: serve none of them.
    payload->clear();
    event->set_personal_data(v1::PERSONAL_DATA_STATE_WITHHELD);
    return std::nullopt;
  }
  const google::protobuf::Reflection* reflection = message->GetReflection();
  const bool sealed = personal.sealed != nullptr &&
                      reflection->HasField(*message, personal.sealed);
  const std::string subject =
      sealed ? static_cast<const v1::SealedPersonalData&>(
                   reflection->GetMessage(*message, personal.sealed))
                   .person_id()
             : "";
  if (may_see) {
    if (sealed && sealer_ != nullptr) {
      absl::StatusOr<privacy::UnsealOutcome> outcome =
          sealer_->Unseal(*message);
      if (outcome.ok() && *outcome == privacy::UnsealOutcome::kRestored) {
        message->SerializeToString(payload);
        event->set_personal_data(v1::PERSONAL_DATA_STATE_CLEAR);
        return subject;
      }
      // Erased; or a ciphertext that does not open, served sealed as stored
      // (VerifyChain is where an auditor learns why).
      event->set_personal_data(
          outcome.ok() && *outcome == privacy::UnsealOutcome::kErased
              ? v1::PERSONAL_DATA_STATE_ERASED
              : v1::PERSONAL_DATA_STATE_WITHHELD);
      return std::nullopt;
    }
    // Written before sealing existed, or with nothing personal set.
    for (const FieldDescriptor* field : personal.fields) {
      if (IsSet(*message, field)) {
        event->set_personal_data(v1::PERSONAL_DATA_STATE_CLEAR);
        break;
      }
    }
    return std::nullopt;
  }
  // Not for this caller: clear anything in clear (ciphertexts stay), and
  // put pseudonyms in place of person ids.
  bool changed = false;
  for (const FieldDescriptor* field : personal.fields) {
    if (IsSet(*message, field)) {
      reflection->ClearField(message.get(), field);
      changed = true;
    }
  }
  if (sealed || changed) {
    const bool erased =
        sealed && sealer_ != nullptr && sealer_->IsErased(subject);
    event->set_personal_data(erased ? v1::PERSONAL_DATA_STATE_ERASED
                                    : v1::PERSONAL_DATA_STATE_WITHHELD);
  }
  if (pseudonymize) changed |= pseudonymizer_->Apply(*message);
  if (changed) message->SerializeToString(payload);
  return std::nullopt;
}

void ServedPersonalData::Add(const std::string& person_id, uint64_t position) {
  Served& served = by_person_[person_id];
  if (served.count++ == 0) served.first = position;
  served.last = position;
}

absl::Status ServedPersonalData::RecordTo(privacy::AccessTrail* trail,
                                          const auth::Principal& caller,
                                          absl::string_view method) const {
  if (trail == nullptr || by_person_.empty()) return absl::OkStatus();
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  std::vector<v1::AccessRecord> records;
  for (const auto& [person, served] : by_person_) {
    v1::AccessRecord& record = records.emplace_back();
    record.mutable_served_at()->set_seconds(now_micros / 1000000);
    record.mutable_served_at()->set_nanos(
        static_cast<int32_t>(now_micros % 1000000) * 1000);
    record.set_principal(caller.id);
    record.set_role(auth::RoleName(caller.role));
    record.set_token_id(caller.token_id);
    record.set_method(std::string(method));
    record.set_person_id(person);
    record.set_event_count(served.count);
    record.set_first_position(served.first);
    record.set_last_position(served.last);
  }
  return trail->Record(std::move(records));
}

}  // namespace coopcraft::api
