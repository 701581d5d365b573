// Sealing and unsealing the personal fields of real event types (and of a
// synthetic type for the shapes no event has).
#include "services/privacy/personal_fields.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "coopcraft/v1/options.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/sealed_personal_data.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "coopcraft/v1/selection_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coopcraft::privacy {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;

DataKey TestKey() {
  absl::StatusOr<DataKey> key = NewDataKey();
  EXPECT_TRUE(key.ok()) << key.status();
  return key.value_or(DataKey{});
}

v1::ApplicationSubmitted Submitted() {
  v1::ApplicationSubmitted event;
  event.set_application_id("app-42");
  event.set_call_id("call-2026");
  event.set_person_id("person-7");
  event.set_cpas_id("cpas-liege");
  event.mutable_received_on()->set_year(2026);
  event.mutable_received_on()->set_month(3);
  event.mutable_received_on()->set_day(2);
  event.set_age_band(v1::AGE_BAND_36_TO_49);
  event.set_months_on_integration_income(14);
  v1::ApplicantDetails& applicant = *event.mutable_applicant();
  applicant.set_given_name("Mireille");
  applicant.set_family_name("Vandenbroucke");
  applicant.mutable_birth_date()->set_year(1984);
  applicant.mutable_birth_date()->set_month(3);
  applicant.mutable_birth_date()->set_day(3);
  applicant.set_email("mireille.vdb@example.org");
  applicant.set_motivations("Aider les aînés du quartier avec le numérique.");
  return event;
}

TEST(PersonalFieldsTest, DetectsTypesWithPersonalFields) {
  EXPECT_TRUE(HasPersonalFields(*v1::ApplicationSubmitted::descriptor()));
  EXPECT_TRUE(HasPersonalFields(*v1::MentorMeetingHeld::descriptor()));
  EXPECT_FALSE(HasPersonalFields(*v1::CallOpened::descriptor()));
  // Only top-level fields count: the stream wrapper holds the events whole.
  EXPECT_FALSE(HasPersonalFields(*v1::ApplicationEvent::descriptor()));
}

TEST(PersonalFieldsTest, SealingRemovesThePersonalDataOnly) {
  const DataKey key = TestKey();
  const v1::ApplicationSubmitted original = Submitted();
  v1::ApplicationSubmitted event = original;

  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->person_id(), "person-7");
  ASSERT_EQ(sealed->fields_size(), 1);
  EXPECT_EQ(sealed->fields(0).field_number(),
            v1::ApplicationSubmitted::kApplicantFieldNumber);

  EXPECT_FALSE(event.has_applicant());
  const std::string stored = event.SerializeAsString();
  EXPECT_THAT(stored, Not(HasSubstr("Mireille")));
  EXPECT_THAT(stored, Not(HasSubstr("Vandenbroucke")));
  EXPECT_THAT(stored, Not(HasSubstr("mireille.vdb@example.org")));
  const std::string sealed_bytes = sealed->SerializeAsString();
  EXPECT_THAT(sealed_bytes, Not(HasSubstr("Mireille")));
  EXPECT_THAT(sealed_bytes, Not(HasSubstr("mireille.vdb@example.org")));

  EXPECT_EQ(event.application_id(), "app-42");
  EXPECT_EQ(event.call_id(), "call-2026");
  EXPECT_EQ(event.person_id(), "person-7");
  EXPECT_EQ(event.cpas_id(), "cpas-liege");
  EXPECT_EQ(event.age_band(), v1::AGE_BAND_36_TO_49);
  EXPECT_EQ(event.months_on_integration_income(), 14);
  EXPECT_EQ(event.received_on().year(), 2026);
}

TEST(PersonalFieldsTest, UnsealingRestoresTheEvent) {
  const DataKey key = TestKey();
  const v1::ApplicationSubmitted original = Submitted();
  v1::ApplicationSubmitted event = original;
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();

  // As a reader would: from the stored bytes.
  v1::ApplicationSubmitted read;
  ASSERT_TRUE(read.ParseFromString(event.SerializeAsString()));
  v1::SealedPersonalData read_sealed;
  ASSERT_TRUE(read_sealed.ParseFromString(sealed->SerializeAsString()));
  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(read, read_sealed, key);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kRestored);
  EXPECT_TRUE(MessageDifferencer::Equals(read, original)) << read.DebugString();
}

TEST(PersonalFieldsTest, UnsealingWithoutAKeyLeavesTheFieldsErased) {
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", TestKey());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  v1::ApplicationSubmitted expected = event;

  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(event, *sealed, std::nullopt);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kErased);
  EXPECT_FALSE(event.has_applicant());
  EXPECT_TRUE(MessageDifferencer::Equals(event, expected));
}

TEST(PersonalFieldsTest, UnsealingWithoutAKeyClearsFieldsLeftInTheClear) {
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", TestKey());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  *event.mutable_applicant() = Submitted().applicant();
  ASSERT_TRUE(UnsealPersonalFields(event, *sealed, std::nullopt).ok());
  EXPECT_FALSE(event.has_applicant());
}

TEST(PersonalFieldsTest, NothingSetMeansNothingSealed) {
  const DataKey key = TestKey();
  v1::ApplicationSubmitted event = Submitted();
  event.clear_applicant();
  const v1::ApplicationSubmitted original = event;
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->fields_size(), 0);
  EXPECT_TRUE(MessageDifferencer::Equals(event, original));
  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(event, *sealed, key);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kNothingSealed);
  outcome = UnsealPersonalFields(event, *sealed, std::nullopt);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kNothingSealed);
}

TEST(PersonalFieldsTest, TypeWithoutPersonalFieldsSealsNothing) {
  v1::CallOpened event;
  event.set_call_id("call-2026");
  event.set_title("Digital mediators 2026");
  event.add_partner_cpas_ids("cpas-liege");
  const v1::CallOpened original = event;
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", TestKey());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->fields_size(), 0);
  EXPECT_TRUE(MessageDifferencer::Equals(event, original));
}

TEST(PersonalFieldsTest, TamperedSealedFieldIsDataLoss) {
  const DataKey key = TestKey();
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  std::string& bytes = *sealed->mutable_fields(0)->mutable_sealed();
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  const v1::ApplicationSubmitted before = event;
  EXPECT_EQ(UnsealPersonalFields(event, *sealed, key).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(MessageDifferencer::Equals(event, before));
}

TEST(PersonalFieldsTest, WrongKeyIsDataLoss) {
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", TestKey());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(UnsealPersonalFields(event, *sealed, TestKey()).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PersonalFieldsTest, SealedDataMovedToAnotherPersonIsDataLoss) {
  // Even with the same key (the worst case: a store bug handing one key to
  // two people), the associated data ties the value to its subject.
  const DataKey key = TestKey();
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  sealed->set_person_id("person-8");
  EXPECT_EQ(UnsealPersonalFields(event, *sealed, key).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PersonalFieldsTest, SealedDataMovedToAnotherFieldOrTypeIsDataLoss) {
  const DataKey key = TestKey();
  v1::ReviewApplicationRequest review;
  review.set_application_id("app-42");
  review.set_comment("Très motivée, parcours solide.");
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(review, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  ASSERT_EQ(sealed->fields_size(), 1);

  // The comment is field 8 of ReviewApplicationRequest; point the value at
  // ApplicationSubmitted's personal field 6 instead.
  v1::ApplicationSubmitted other = Submitted();
  other.clear_applicant();
  sealed->mutable_fields(0)->set_field_number(
      v1::ApplicationSubmitted::kApplicantFieldNumber);
  EXPECT_EQ(UnsealPersonalFields(other, *sealed, key).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_FALSE(other.has_applicant());
}

TEST(PersonalFieldsTest, NonPersonalFieldNumberIsDataLoss) {
  const DataKey key = TestKey();
  v1::ApplicationSubmitted event = Submitted();
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  for (int number :
       {static_cast<int>(v1::ApplicationSubmitted::kCallIdFieldNumber), 999}) {
    v1::SealedPersonalData moved = *sealed;
    moved.mutable_fields(0)->set_field_number(number);
    EXPECT_EQ(UnsealPersonalFields(event, moved, key).status().code(),
              absl::StatusCode::kDataLoss);
    EXPECT_EQ(UnsealPersonalFields(event, moved, std::nullopt).status().code(),
              absl::StatusCode::kDataLoss);
  }
  v1::SealedPersonalData twice = *sealed;
  *twice.add_fields() = sealed->fields(0);
  EXPECT_EQ(UnsealPersonalFields(event, twice, key).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PersonalFieldsTest, ProjectEventRoundTrips) {
  const DataKey key = TestKey();
  v1::MentorMeetingHeld event;
  event.set_project_id("project-9");
  event.set_meeting_id("meeting-1");
  event.set_mentor_id("mentor-3");
  event.set_meetings_held(1);
  event.mutable_feedback()->set_summary(
      "Bonne présentation du projet, manque de confiance en soi.");
  event.mutable_feedback()->set_next_steps("Préparer l'atelier seniors.");
  const v1::MentorMeetingHeld original = event;

  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(event, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  ASSERT_EQ(sealed->fields_size(), 1);
  EXPECT_EQ(sealed->fields(0).field_number(),
            v1::MentorMeetingHeld::kFeedbackFieldNumber);
  EXPECT_FALSE(event.has_feedback());
  EXPECT_THAT(event.SerializeAsString(), Not(HasSubstr("confiance")));
  EXPECT_EQ(event.mentor_id(), "mentor-3");

  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(event, *sealed, key);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kRestored);
  EXPECT_TRUE(MessageDifferencer::Equals(event, original));
}

TEST(PersonalFieldsTest, StringFieldRoundTrips) {
  const DataKey key = TestKey();
  v1::ReviewApplicationRequest review;
  review.set_application_id("app-42");
  review.set_comment("Très motivée, parcours solide.");
  const v1::ReviewApplicationRequest original = review;
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(review, "person-7", key);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(review.comment(), "");
  EXPECT_EQ(review.application_id(), "app-42");
  absl::StatusOr<UnsealOutcome> outcome =
      UnsealPersonalFields(review, *sealed, key);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(MessageDifferencer::Equals(review, original));
}

TEST(PersonalFieldsTest, EmptyPersonIdIsInvalid) {
  v1::ApplicationSubmitted event = Submitted();
  EXPECT_EQ(SealPersonalFields(event, "", TestKey()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(event.has_applicant());
}

// No event marks a repeated field personal; a synthetic type checks that
// such a field is refused rather than silently left in the clear.
TEST(PersonalFieldsTest, RepeatedPersonalFieldIsRejected) {
  google::protobuf::FileDescriptorProto file;
  file.set_name("privacy_test/repeated_personal.proto");
  file.set_package("privacy_test");
  file.set_syntax("proto3");
  google::protobuf::DescriptorProto& type = *file.add_message_type();
  type.set_name("RepeatedPersonal");
  google::protobuf::FieldDescriptorProto& field = *type.add_field();
  field.set_name("notes");
  field.set_number(1);
  field.set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
  field.set_label(google::protobuf::FieldDescriptorProto::LABEL_REPEATED);
  field.mutable_options()->SetExtension(v1::personal, true);

  google::protobuf::DescriptorPool pool(
      google::protobuf::DescriptorPool::generated_pool());
  ASSERT_NE(pool.BuildFile(file), nullptr);
  const google::protobuf::Descriptor* descriptor =
      pool.FindMessageTypeByName("privacy_test.RepeatedPersonal");
  ASSERT_NE(descriptor, nullptr);
  EXPECT_TRUE(HasPersonalFields(*descriptor));

  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<google::protobuf::Message> event(
      factory.GetPrototype(descriptor)->New());
  event->GetReflection()->AddString(event.get(), descriptor->field(0),
                                    "a note");
  absl::StatusOr<v1::SealedPersonalData> sealed =
      SealPersonalFields(*event, "person-7", TestKey());
  EXPECT_EQ(sealed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(sealed.status().message()), HasSubstr("repeated"));
  EXPECT_EQ(event->GetReflection()->FieldSize(*event, descriptor->field(0)), 1);
}

}  // namespace
}  // namespace coopcraft::privacy
