// Pseudonymizer: stable, keyed, applied at any depth.
#include "services/privacy/pseudonymizer.h"

#include "absl/strings/match.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "coopcraft/v1/tracker_views.pb.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::privacy {
namespace {

namespace v1 = ::coopcraft::v1;

DataKey KeyOf(unsigned char fill) {
  DataKey key;
  key.fill(fill);
  return key;
}

TEST(PseudonymizerTest, SamePersonSamePseudonymOtherKeyOtherPseudonym) {
  const Pseudonymizer a(KeyOf(1));
  const Pseudonymizer same(KeyOf(1));
  const Pseudonymizer other(KeyOf(2));
  EXPECT_EQ(a.Pseudonym("person-1"), same.Pseudonym("person-1"));
  EXPECT_NE(a.Pseudonym("person-1"), a.Pseudonym("person-2"));
  EXPECT_NE(a.Pseudonym("person-1"), other.Pseudonym("person-1"));
  EXPECT_TRUE(absl::StartsWith(a.Pseudonym("person-1"), "anon-"));
  EXPECT_EQ(a.Pseudonym("person-1").size(), 5u + 24u);
}

TEST(PseudonymizerTest, ReplacesPersonIdsAtAnyDepthAndNothingElse) {
  const Pseudonymizer pseudonyms(KeyOf(7));
  v1::ApplicationSubmitted event;
  event.set_application_id("app-1");
  event.set_person_id("person-1");
  event.mutable_sealed_personal()->set_person_id("person-1");
  ASSERT_TRUE(pseudonyms.Apply(event));
  EXPECT_EQ(event.person_id(), pseudonyms.Pseudonym("person-1"));
  EXPECT_EQ(event.sealed_personal().person_id(),
            pseudonyms.Pseudonym("person-1"));
  EXPECT_EQ(event.application_id(), "app-1");

  v1::HandOffView view;
  view.set_project_id("app-1");
  EXPECT_FALSE(pseudonyms.Apply(view));  // no id set: nothing to change
}

TEST(PseudonymizerTest, KnowsWhichTypesMentionPeople) {
  EXPECT_TRUE(Pseudonymizer::MentionsPeople(*v1::ProjectOpened::descriptor()));
  EXPECT_TRUE(
      Pseudonymizer::MentionsPeople(*v1::ApplicationSubmitted::descriptor()));
  EXPECT_FALSE(Pseudonymizer::MentionsPeople(*v1::ActionLogged::descriptor()));
}

TEST(PseudonymizerTest, ItsKeyLivesInTheKeyStoreAndSurvivesReopening) {
  testing::TempDir dir;
  std::string first;
  {
    auto keys = PersonKeyStore::Open(dir.path() + "/keys");
    ASSERT_TRUE(keys.ok());
    auto pseudonyms = Pseudonymizer::Create(**keys);
    ASSERT_TRUE(pseudonyms.ok());
    first = (*pseudonyms)->Pseudonym("person-1");
  }
  auto keys = PersonKeyStore::Open(dir.path() + "/keys");
  ASSERT_TRUE(keys.ok());
  auto pseudonyms = Pseudonymizer::Create(**keys);
  ASSERT_TRUE(pseudonyms.ok());
  EXPECT_EQ((*pseudonyms)->Pseudonym("person-1"), first);
}

}  // namespace
}  // namespace coopcraft::privacy
