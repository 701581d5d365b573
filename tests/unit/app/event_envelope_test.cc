#include "services/app/event_envelope.h"

#include <gtest/gtest.h>

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/project_events.pb.h"

namespace coopcraft::app {
namespace {

// A command whose events carry personal data needs its person's key, which
// may be created and synced: the repository moves such a command off
// gRPC's threads on this answer.
TEST(SealsPersonalDataTest, IsTrueForAnEventTypeWithSealedPersonalData) {
  v1::ProjectEvent interview;
  interview.mutable_interview_recorded()->set_project_id("p-1");
  EXPECT_TRUE(SealsPersonalData(interview));
}

TEST(SealsPersonalDataTest, IsFalseForAnEventTypeWithoutPersonalData) {
  v1::ProjectEvent action;
  action.mutable_action_logged()->set_project_id("p-1");
  EXPECT_FALSE(SealsPersonalData(action));
  v1::CohortEvent meeting;
  meeting.mutable_group_meeting_recorded()->set_call_id("call-1");
  EXPECT_FALSE(SealsPersonalData(meeting));
}

TEST(SealsPersonalDataTest, IsFalseForAnEmptyEnvelope) {
  EXPECT_FALSE(SealsPersonalData(v1::ProjectEvent()));
}

}  // namespace
}  // namespace coopcraft::app
