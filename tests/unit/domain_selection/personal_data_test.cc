// The privacy work encrypts one personal sub-message per event with the key
// of the event's person_id. These tests hold every Selection and Cohort
// event to that shape, so a new field cannot silently leak.
#include <string>
#include <vector>

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/options.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace coopcraft::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool IsPersonal(const FieldDescriptor* field) {
  return field->options().GetExtension(v1::personal);
}

std::vector<const Descriptor*> EventTypes() {
  std::vector<const Descriptor*> types;
  for (const Descriptor* envelope :
       {v1::CallEvent::descriptor(), v1::ApplicationEvent::descriptor(),
        v1::CohortEvent::descriptor()}) {
    for (int i = 0; i < envelope->field_count(); ++i) {
      types.push_back(envelope->field(i)->message_type());
    }
  }
  return types;
}

TEST(PersonalDataTest, EveryEventHasAtMostOnePersonalSubMessage) {
  for (const Descriptor* type : EventTypes()) {
    int personal = 0;
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (!IsPersonal(field)) continue;
      ++personal;
      EXPECT_EQ(field->type(), FieldDescriptor::TYPE_MESSAGE)
          << field->full_name() << " must be a sub-message";
      EXPECT_FALSE(field->is_repeated()) << field->full_name();
    }
    EXPECT_LE(personal, 1) << type->full_name();
  }
}

TEST(PersonalDataTest, EventsWithPersonalDataNameTheirDataSubject) {
  for (const Descriptor* type : EventTypes()) {
    bool has_personal = false;
    for (int i = 0; i < type->field_count(); ++i) {
      has_personal = has_personal || IsPersonal(type->field(i));
    }
    if (!has_personal) continue;
    const FieldDescriptor* subject = type->FindFieldByName("person_id");
    ASSERT_NE(subject, nullptr) << type->full_name();
    EXPECT_EQ(subject->type(), FieldDescriptor::TYPE_STRING);
  }
}

TEST(PersonalDataTest, PersonalDetailsLiveOnlyInsideThePersonalField) {
  // Applicant details and notes are only ever reached through a field
  // marked personal.
  for (const Descriptor* type : EventTypes()) {
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (field->message_type() == v1::ApplicantDetails::descriptor() ||
          field->message_type() == v1::ApplicantNote::descriptor()) {
        EXPECT_TRUE(IsPersonal(field)) << field->full_name();
      }
    }
  }
}

}  // namespace
}  // namespace coopcraft::testing
