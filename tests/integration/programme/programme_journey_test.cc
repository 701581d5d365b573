// One participant's whole programme over gRPC against a real coopcraftd, from
// the call for applications to the partner accepting the hand-off. Every
// step checks where its event landed: the next global position and the next
// revision of its stream.
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "dm-2026";
constexpr char kSelected[] = "app-amina";
constexpr char kWaitlisted[] = "app-bruno";
constexpr char kRejected[] = "app-chloe";
// A project's id is the id of the application it is opened from.
constexpr char kProject[] = "app-amina";

std::string CallStream() { return std::string("call-") + kCall; }
std::string CohortStream() { return std::string("cohort-") + kCall; }
std::string ApplicationStream(const std::string& id) {
  return "application-" + id;
}
std::string ProjectStream() { return std::string("project-") + kProject; }

// What a fresh log must report for each write: positions follow one another
// without gaps, and each stream's revisions count 0, 1, 2...
class WriteJournal {
 public:
  void Expect(const absl::StatusOr<v1::WriteResult>& written,
              const std::string& stream) {
    ASSERT_TRUE(written.ok()) << written.status();
    uint64_t& next_revision = next_revision_[stream];
    EXPECT_EQ(written->stream(), stream);
    EXPECT_EQ(written->first_position(), head_ + 1);
    EXPECT_EQ(written->position(), head_ + 1);  // one event per command
    EXPECT_EQ(written->stream_revision(), next_revision);
    head_ = written->position();
    next_revision = written->stream_revision() + 1;
  }

  uint64_t head() const { return head_; }
  uint64_t events_in(const std::string& stream) const {
    auto it = next_revision_.find(stream);
    return it == next_revision_.end() ? 0 : it->second;
  }

 private:
  uint64_t head_ = 0;
  std::map<std::string, uint64_t> next_revision_;
};

class ProgrammeJourneyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ProgrammeServer::Start();
    ASSERT_NE(server_, nullptr);
  }

  template <typename Request>
  void Step(const Request& request, const std::string& stream) {
    SCOPED_TRACE(Request::descriptor()->name());
    journal_.Expect(server_->client().Call(request), stream);
  }

  // Call, three applications, reviews and CPAS opinions, then one selected,
  // one wait-listed and one rejected.
  void RunSelection() {
    Step(OpenCall(kCall), CallStream());
    for (const char* id : {kSelected, kWaitlisted, kRejected}) {
      Step(SubmitApplication(id, kCall), ApplicationStream(id));
    }
    Step(CloseCall(kCall, Day(2026, 2, 27)), CallStream());
    for (const char* id : {kSelected, kWaitlisted, kRejected}) {
      Step(ReviewApplication(id, "reviewer-1"), ApplicationStream(id));
    }
    Step(ReviewApplication(kSelected, "reviewer-2"),
         ApplicationStream(kSelected));
    Step(RecordCpasOpinion(kSelected), ApplicationStream(kSelected));
    Step(RecordCpasOpinion(kWaitlisted,
                           v1::CPAS_OPINION_FAVOURABLE_WITH_RESERVATIONS),
         ApplicationStream(kWaitlisted));
    Step(RecordCpasOpinion(kRejected, v1::CPAS_OPINION_UNFAVOURABLE),
         ApplicationStream(kRejected));
    Step(SelectCandidate(kSelected), ApplicationStream(kSelected));
    Step(WaitlistCandidate(kWaitlisted, 1), ApplicationStream(kWaitlisted));
    Step(RejectCandidate(kRejected, v1::REJECTION_REASON_CPAS_UNFAVOURABLE),
         ApplicationStream(kRejected));
  }

  // The project and its contract, worked days, an interview, and the seven
  // deliverables drafted, submitted and validated (one sent back once).
  void RunRoadmap() {
    Step(OpenProject(kProject), ProjectStream());
    Step(RecordWorkedDays(kProject, Day(2026, 3, 2), Day(2026, 3, 31), 20),
         ProjectStream());
    Step(RecordInterview(kProject, Day(2026, 3, 4)), ProjectStream());
    for (int k = v1::DELIVERABLE_KIND_DEVELOPMENT_STRATEGY;
         k <= v1::DELIVERABLE_KIND_BUSINESS_MODEL; ++k) {
      const auto kind = static_cast<v1::DeliverableKind>(k);
      Step(DraftDeliverable(kProject, kind), ProjectStream());
      Step(SubmitDeliverable(kProject, kind), ProjectStream());
      if (kind == v1::DELIVERABLE_KIND_MARKET_STUDY) {
        Step(RequestDeliverableChanges(kProject, kind), ProjectStream());
        Step(DraftDeliverable(kProject, kind), ProjectStream());
        Step(SubmitDeliverable(kProject, kind), ProjectStream());
      }
      Step(ValidateDeliverable(kProject, kind), ProjectStream());
    }
  }

  // A mentor, the two required meetings and a follow-up planned ahead. The
  // coach records the assignment late, with its day: the meetings follow
  // it, and a meeting cannot predate its mentor's assignment.
  void RunMentoring() {
    Step(AssignMentor(kProject, "mentor-1", Day(2026, 3, 16)), ProjectStream());
    Step(RecordMentorMeeting(kProject, "mm-1", Day(2026, 4, 15)),
         ProjectStream());
    Step(RecordMentorMeeting(kProject, "mm-2", Day(2026, 6, 10)),
         ProjectStream());
    Step(ScheduleMentorMeeting(kProject, "mm-3", DaysFromToday(7)),
         ProjectStream());
  }

  // Actions in every line, two weekly group meetings, premises and
  // equipment, funding granted and refused, a partnership, publications on
  // two channels, and two milestones of the Gantt chart.
  void RunFollowUp() {
    for (int line = v1::ACTION_LINE_PARTNER_SEARCH;
         line <= v1::ACTION_LINE_PRODUCTION; ++line) {
      Step(LogAction(kProject, "action-" + std::to_string(line),
                     static_cast<v1::ActionLine>(line), Day(2026, 3, 9 + line)),
           ProjectStream());
    }
    Step(RecordGroupMeeting(kCall, "gm-1", Day(2026, 3, 9), {kProject}),
         CohortStream());
    Step(RecordGroupMeeting(kCall, "gm-2", Day(2026, 3, 16), {kProject}),
         CohortStream());
    Step(RequestResource(kProject, "rr-1"), ProjectStream());
    Step(DecideResourceRequest(kProject, "rr-1", v1::RESOURCE_DECISION_GRANTED),
         ProjectStream());
    Step(SubmitFundingApplication(kProject, "fa-1", Day(2026, 5, 4)),
         ProjectStream());
    Step(SubmitFundingApplication(kProject, "fa-2", Day(2026, 5, 11)),
         ProjectStream());
    Step(RecordFundingDecision(kProject, "fa-1", v1::FUNDING_OUTCOME_GRANTED,
                               Day(2026, 6, 15)),
         ProjectStream());
    Step(RecordFundingDecision(kProject, "fa-2", v1::FUNDING_OUTCOME_REFUSED,
                               Day(2026, 6, 22)),
         ProjectStream());
    Step(ContactPartner(kProject, "museum", Day(2026, 4, 1)), ProjectStream());
    Step(AgreePartnership(kProject, "museum", Day(2026, 5, 5)),
         ProjectStream());
    Step(PublishCommunication(kProject, "pub-web",
                              v1::COMMUNICATION_CHANNEL_WEBSITE,
                              Day(2026, 6, 1)),
         ProjectStream());
    Step(PublishCommunication(kProject, "pub-news",
                              v1::COMMUNICATION_CHANNEL_NEWSLETTER,
                              Day(2026, 7, 1)),
         ProjectStream());
    RunMilestones();
  }

  void RunMilestones() {
    Step(PlanMilestone(kProject, "ms-1", Day(2026, 4, 1), Day(2026, 5, 31)),
         ProjectStream());
    Step(MoveMilestone(kProject, "ms-1", Day(2026, 4, 15), Day(2026, 6, 15)),
         ProjectStream());
    Step(CompleteMilestone(kProject, "ms-1", Day(2026, 6, 10)),
         ProjectStream());
    Step(PlanMilestone(kProject, "ms-2", Day(2026, 6, 1), Day(2026, 9, 30)),
         ProjectStream());
    Step(CompleteMilestone(kProject, "ms-2", Day(2026, 9, 25)),
         ProjectStream());
  }

  // Evaluation, hand-off proposed and accepted by the partner, then the
  // contract ends with the hand-off and the project closes.
  void RunEvaluationAndHandOff() {
    Step(RecordEvaluation(kProject, Day(2026, 10, 15)), ProjectStream());
    Step(ProposeHandOff(kProject, "handoff-1", Day(2026, 10, 20)),
         ProjectStream());
    Step(AcceptHandOff(kProject, "handoff-1"), ProjectStream());
    Step(EndContract(kProject, Day(2026, 10, 30), v1::EXIT_OUTCOME_HAND_OFF),
         ProjectStream());
    Step(CloseProject(kProject), ProjectStream());
  }

  std::unique_ptr<ProgrammeServer> server_;
  WriteJournal journal_;
};

TEST_F(ProgrammeJourneyTest, WholeProgrammeFromCallToAcceptedHandOff) {
  RunSelection();
  ASSERT_FALSE(HasFailure()) << "selection";
  RunRoadmap();
  ASSERT_FALSE(HasFailure()) << "roadmap";
  RunMentoring();
  RunFollowUp();
  ASSERT_FALSE(HasFailure()) << "mentoring and follow-up";
  RunEvaluationAndHandOff();
  EXPECT_EQ(server_->Head(), journal_.head());
  EXPECT_EQ(journal_.events_in(CohortStream()), 2u);
  server_->ExpectCleanStop();
}

}  // namespace
}  // namespace coopcraft::testing
