// Cohort view: the selection funnel counts applications by the points they
// reached and their current decision; attendance is present over expected
// across the call's own meetings.
#include <string>
#include <vector>

#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/cohort_view_projection.h"
#include "tests/unit/projections/report_test_events.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;
using ::coopcraft::testing::Day;
using ::coopcraft::testing::RecordMaker;

class CohortViewTest : public ::testing::Test {
 protected:
  void Application(const std::string& id, const std::vector<char>& steps,
                   const std::string& call_id = "call-1") {
    const std::string stream = "application-" + id;
    for (char step : steps) {
      v1::ApplicationEvent e;
      switch (step) {
        case 's':
          e.mutable_application_submitted()->set_application_id(id);
          e.mutable_application_submitted()->set_call_id(call_id);
          break;
        case 'r':
          e.mutable_application_reviewed()->set_application_id(id);
          e.mutable_application_reviewed()->set_call_id(call_id);
          break;
        case 'o':
          e.mutable_cpas_opinion_recorded()->set_application_id(id);
          e.mutable_cpas_opinion_recorded()->set_call_id(call_id);
          break;
        case 'S':
          e.mutable_candidate_selected()->set_application_id(id);
          e.mutable_candidate_selected()->set_call_id(call_id);
          break;
        case 'W':
          e.mutable_candidate_waitlisted()->set_application_id(id);
          e.mutable_candidate_waitlisted()->set_call_id(call_id);
          break;
        case 'R':
          e.mutable_candidate_rejected()->set_application_id(id);
          e.mutable_candidate_rejected()->set_call_id(call_id);
          break;
        case 'X':
          e.mutable_application_withdrawn()->set_application_id(id);
          e.mutable_application_withdrawn()->set_call_id(call_id);
          break;
      }
      ApplyRecord(records_.Make(stream, e), projection_);
    }
  }

  void Meeting(const std::string& call_id, const std::string& meeting_id,
               const v1::Date& held_on, int present, int absent, int excused) {
    v1::CohortEvent e;
    v1::GroupMeetingRecorded& m = *e.mutable_group_meeting_recorded();
    m.set_call_id(call_id);
    m.set_meeting_id(meeting_id);
    *m.mutable_held_on() = held_on;
    for (int i = 0; i < present; ++i) {
      m.add_present_project_ids("p-" + std::to_string(i));
    }
    for (int i = 0; i < absent; ++i) {
      v1::Absence& absence = *m.add_absences();
      absence.set_project_id("a-" + std::to_string(i));
      absence.set_excused(i < excused);
    }
    ApplyRecord(records_.Make("cohort-" + call_id, e), projection_);
  }

  v1::CohortView View(const std::string& call_id = "call-1") {
    auto view = projection_.Get(call_id);
    EXPECT_TRUE(view.has_value());
    return view.value_or(v1::CohortView());
  }

  RecordMaker records_;
  CohortViewProjection projection_;
};

TEST_F(CohortViewTest, CallOpenedGivesTitleAndPlaces) {
  v1::CallEvent e;
  e.mutable_call_opened()->set_call_id("call-1");
  e.mutable_call_opened()->set_title("Digital mediators 2026");
  e.mutable_call_opened()->set_places(8);
  ApplyRecord(records_.Make("call-call-1", e), projection_);
  EXPECT_EQ(View().title(), "Digital mediators 2026");
  EXPECT_EQ(View().places(), 8);
  EXPECT_FALSE(View().closed());
}

TEST_F(CohortViewTest, FunnelCountsReachedStepsAndCurrentDecisions) {
  Application("a1", {'s'});
  Application("a2", {'s', 'r', 'o'});
  Application("a3", {'s', 'r', 'S'});
  Application("a4", {'s', 'r', 'W'});
  Application("a5", {'s', 'r', 'r', 'W', 'S'});  // selected from the list
  Application("a6", {'s', 'r', 'R'});
  Application("a7", {'s', 'X'});
  Application("b1", {'s', 'r', 'S'}, "call-2");
  const v1::SelectionFunnel funnel = View().funnel();
  EXPECT_EQ(funnel.applied(), 7);
  EXPECT_EQ(funnel.reviewed(), 5);
  EXPECT_EQ(funnel.selected(), 2);
  EXPECT_EQ(funnel.waitlisted(), 1);
  EXPECT_EQ(funnel.rejected(), 1);
  EXPECT_EQ(funnel.withdrawn(), 1);
  EXPECT_EQ(funnel.pending(), 2);
  EXPECT_EQ(View("call-2").funnel().applied(), 1);
}

TEST_F(CohortViewTest, WithdrawalFromTheWaitingListLeavesIt) {
  Application("a1", {'s', 'r', 'W', 'X'});
  EXPECT_EQ(View().funnel().waitlisted(), 0);
  EXPECT_EQ(View().funnel().withdrawn(), 1);
  EXPECT_EQ(View().funnel().reviewed(), 1);
}

TEST_F(CohortViewTest, AttendanceRateIsPresentOverExpectedAcrossMeetings) {
  Meeting("call-1", "m2", Day(2026, 3, 16), 2, 2, 0);
  Meeting("call-1", "m1", Day(2026, 3, 9), 3, 1, 1);
  Meeting("call-2", "m1", Day(2026, 3, 9), 0, 5, 0);
  const v1::CohortView view = View();
  ASSERT_EQ(view.meetings_size(), 2);
  EXPECT_EQ(view.meetings(0).meeting_id(), "m1");  // in held_on order
  EXPECT_EQ(view.meetings(0).present(), 3);
  EXPECT_EQ(view.meetings(0).expected(), 4);
  EXPECT_EQ(view.meetings(0).excused_absences(), 1);
  EXPECT_EQ(view.meetings(1).present(), 2);
  EXPECT_EQ(view.meetings(1).expected(), 4);
  EXPECT_DOUBLE_EQ(view.attendance_rate(), 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(View("call-2").attendance_rate(), 0.0);
}

TEST_F(CohortViewTest, MeetingRecordedAgainReplacesTheFirstRecord) {
  Meeting("call-1", "m1", Day(2026, 3, 9), 1, 3, 0);
  Meeting("call-1", "m1", Day(2026, 3, 9), 4, 0, 0);
  ASSERT_EQ(View().meetings_size(), 1);
  EXPECT_DOUBLE_EQ(View().attendance_rate(), 1.0);
}

TEST_F(CohortViewTest, UnknownCallIsAbsent) {
  Application("a1", {'s'});
  EXPECT_FALSE(projection_.Get("call-9").has_value());
}

TEST_F(CohortViewTest, StoredChangesRestoreTheSameView) {
  Application("a1", {'s', 'r', 'S'});
  Application("a2", {'s', 'R'});
  Meeting("call-1", "m1", Day(2026, 3, 9), 3, 1, 0);
  std::vector<StateWrite> writes;
  projection_.TakeChanges(&writes);
  ASSERT_EQ(writes.size(), 1u);
  std::vector<StateWrite> again;
  projection_.TakeChanges(&again);
  EXPECT_TRUE(again.empty());
  CohortViewProjection restored;
  ASSERT_TRUE(restored.Restore(writes[0].key, *writes[0].value).ok());
  auto view = restored.Get("call-1");
  ASSERT_TRUE(view.has_value());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*view, View()));
  EXPECT_FALSE(restored.Restore("call-1", "\xff\xff").ok());
}

}  // namespace
}  // namespace coopcraft::projections
