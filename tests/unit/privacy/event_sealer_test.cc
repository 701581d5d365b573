// EventSealer over a real key store and the real event types.
#include "services/privacy/event_sealer.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::privacy {
namespace {

namespace v1 = ::coopcraft::v1;
using google::protobuf::util::MessageDifferencer;

v1::ApplicationSubmitted Submitted(const std::string& person) {
  v1::ApplicationSubmitted event;
  event.set_application_id("app-1");
  event.set_person_id(person);
  event.set_cpas_id("cpas-ixelles");
  event.mutable_applicant()->set_given_name("Amina");
  event.mutable_applicant()->set_email("amina@example.org");
  event.mutable_applicant()->mutable_birth_date()->set_year(1990);
  return event;
}

class EventSealerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = PersonKeyStore::Open(dir_.path() + "/keys");
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = *std::move(keys);
    sealer_ = std::make_unique<EventSealer>(keys_.get());
  }

  testing::TempDir dir_;
  std::unique_ptr<PersonKeyStore> keys_;
  std::unique_ptr<EventSealer> sealer_;
};

// A new event type with a personal field but nowhere to seal it would be
// stored in clear: every one must declare its sealed_personal field.
TEST(EventTypesTest, EveryEventWithPersonalFieldsCanBeSealed) {
  int personal_types = 0;
  for (const auto* file : {v1::ApplicationSubmitted::descriptor()->file(),
                           v1::ProjectOpened::descriptor()->file(),
                           v1::CohortEvent::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      const auto* type = file->message_type(i);
      if (!HasPersonalFields(*type)) continue;
      ++personal_types;
      EXPECT_NE(SealedFieldOf(*type), nullptr) << type->full_name();
    }
  }
  EXPECT_GE(personal_types, 9);
}

TEST_F(EventSealerTest, SealingMovesPersonalFieldsIntoCiphertext) {
  v1::ApplicationSubmitted event = Submitted("person-1");
  ASSERT_TRUE(sealer_->Seal(event, "person-1").ok());
  EXPECT_FALSE(event.has_applicant());
  ASSERT_TRUE(event.has_sealed_personal());
  EXPECT_EQ(event.sealed_personal().person_id(), "person-1");
  EXPECT_EQ(event.cpas_id(), "cpas-ixelles");
  const std::string stored = event.SerializeAsString();
  EXPECT_FALSE(absl::StrContains(stored, "Amina"));
  EXPECT_FALSE(absl::StrContains(stored, "amina@example.org"));
}

TEST_F(EventSealerTest, UnsealingRestoresTheEventAsWritten) {
  const v1::ApplicationSubmitted original = Submitted("person-1");
  v1::ApplicationSubmitted event = original;
  ASSERT_TRUE(sealer_->Seal(event, "person-1").ok());
  // Through the stored bytes, as a reader gets them.
  v1::ApplicationSubmitted restored;
  ASSERT_TRUE(restored.ParseFromString(event.SerializeAsString()));
  auto outcome = sealer_->Unseal(restored);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, UnsealOutcome::kRestored);
  EXPECT_TRUE(MessageDifferencer::Equals(restored, original));
}

TEST_F(EventSealerTest, AfterErasureFieldsStayErasedAndOthersAreIntact) {
  v1::ApplicationSubmitted erased = Submitted("person-1");
  v1::ApplicationSubmitted kept = Submitted("person-2");
  ASSERT_TRUE(sealer_->Seal(erased, "person-1").ok());
  ASSERT_TRUE(sealer_->Seal(kept, "person-2").ok());
  ASSERT_TRUE(keys_->Erase("person-1").ok());
  EXPECT_TRUE(sealer_->IsErased("person-1"));

  auto outcome = sealer_->Unseal(erased);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, UnsealOutcome::kErased);
  EXPECT_FALSE(erased.has_applicant());
  EXPECT_TRUE(erased.has_sealed_personal());  // stored bytes never change

  outcome = sealer_->Unseal(kept);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, UnsealOutcome::kRestored);
  EXPECT_EQ(kept.applicant().given_name(), "Amina");

  // Nothing is ever written again for an erased person.
  v1::ApplicationSubmitted again = Submitted("person-1");
  EXPECT_EQ(sealer_->Seal(again, "person-1").code(),
            absl::StatusCode::kFailedPrecondition);
}

// What an erased person's project still needs recorded carries no personal
// data: it needs no key and is written; the same event with a note is not.
TEST_F(EventSealerTest, AfterErasureEventsWithoutPersonalDataAreWritten) {
  v1::ContractEnded with_note;
  with_note.set_project_id("app-1");
  with_note.mutable_notes()->set_comment("Left for a permanent job.");
  ASSERT_TRUE(sealer_->Seal(with_note, "person-1").ok());
  ASSERT_TRUE(keys_->Erase("person-1").ok());

  v1::ContractEnded without_note;
  without_note.set_project_id("app-1");
  const v1::ContractEnded original = without_note;
  ASSERT_TRUE(sealer_->Seal(without_note, "person-1").ok());
  EXPECT_TRUE(MessageDifferencer::Equals(without_note, original));

  // An empty notes message carries nothing about the person either.
  v1::ContractEnded empty_note;
  empty_note.set_project_id("app-1");
  empty_note.mutable_notes();
  const v1::ContractEnded empty_original = empty_note;
  ASSERT_TRUE(sealer_->Seal(empty_note, "person-1").ok());
  EXPECT_TRUE(MessageDifferencer::Equals(empty_note, empty_original));

  v1::ContractEnded noted;
  noted.set_project_id("app-1");
  noted.mutable_notes()->set_comment("A note after the erasure.");
  const absl::Status refused = sealer_->Seal(noted, "person-1");
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "PERSON_ERASED")) << refused;
}

TEST_F(EventSealerTest, EventsWithoutPersonalDataAreLeftAlone) {
  v1::ProjectOpened opened;
  opened.set_project_id("app-1");
  opened.set_person_id("person-1");
  const v1::ProjectOpened original = opened;
  ASSERT_TRUE(sealer_->Seal(opened, "person-1").ok());
  EXPECT_TRUE(MessageDifferencer::Equals(opened, original));
  // And no key was made for nothing.
  auto key = keys_->FindKey("person-1");
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(key->has_value());
}

// Commands of every kind seal at once from many threads, each type first
// met by whichever thread gets there first (ctest runs each test in a fresh
// process, so the per-type cache starts empty here).
TEST_F(EventSealerTest, ConcurrentFirstUsesOfEveryTypeAreSafe) {
  std::vector<const google::protobuf::Descriptor*> types;
  for (const auto* file : {v1::ApplicationSubmitted::descriptor()->file(),
                           v1::ProjectOpened::descriptor()->file(),
                           v1::CohortEvent::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      types.push_back(file->message_type(i));
    }
  }
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) {
      }
      for (size_t k = 0; k < types.size(); ++k) {
        const auto* type = types[(k * (t + 1)) % types.size()];
        std::unique_ptr<google::protobuf::Message> event(
            google::protobuf::MessageFactory::generated_factory()
                ->GetPrototype(type)
                ->New());
        if (!sealer_->Seal(*event, "person-1").ok()) ++failures;
        if (!sealer_->Unseal(*event).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace coopcraft::privacy
