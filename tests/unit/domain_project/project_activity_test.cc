// Actions, milestones, resource requests, funding applications, partners
// and publications.
#include "given_when_then.h"

namespace coopcraft::domain::project::testing {
namespace {

// --- Actions ---------------------------------------------------------------

v1::LogActionRequest LogAction(std::string id, v1::Date on) {
  v1::LogActionRequest command;
  command.set_project_id("app-1");
  command.set_action_id(id);
  command.set_line(v1::ACTION_LINE_FUNDING);
  *command.mutable_occurred_on() = on;
  command.set_title("Call for projects read");
  return command;
}

v1::ProjectEvent ActionLogged(std::string id, v1::Date on) {
  v1::ProjectEvent event;
  auto* action = event.mutable_action_logged();
  action->set_project_id("app-1");
  action->set_action_id(id);
  action->set_line(v1::ACTION_LINE_FUNDING);
  *action->mutable_occurred_on() = on;
  action->set_title("Call for projects read");
  return event;
}

TEST(ActionTest, LogsAnAction) {
  Given({Opened()})
      .When(LogAction("a-1", D(2026, 2, 2)))
      .Then({ActionLogged("a-1", D(2026, 2, 2))});
}

TEST(ActionTest, RefusesAReusedId) {
  Given({Opened(), ActionLogged("a-1", D(2026, 2, 2))})
      .When(LogAction("a-1", D(2026, 2, 3)))
      .ThenRefuses("ACTION_ALREADY_LOGGED");
}

TEST(ActionTest, RefusesDatesOutsideTheContract) {
  Given({Opened()})
      .When(LogAction("a-1", D(2025, 8, 31)))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
  Given({Opened()})
      .When(LogAction("a-1", D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(LogAction("a-1", D(2026, 2, 2)))
      .ThenRefuses("DATE_AFTER_CONTRACT_END");
}

TEST(ActionTest, LateEntryOfWorkBeforeTheEndIsAccepted) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(LogAction("a-1", D(2026, 1, 30)))
      .Then({ActionLogged("a-1", D(2026, 1, 30))});
}

TEST(ActionTest, NothingIsLoggedOnAClosedProject) {
  Given({Opened(), EndedOn(2026, 1, 30), Closed()})
      .When(LogAction("a-1", D(2026, 1, 5)))
      .ThenRefuses("PROJECT_CLOSED");
}

// --- Milestones ------------------------------------------------------------

v1::PlanMilestoneRequest Plan(std::string id, v1::Date start, v1::Date end) {
  v1::PlanMilestoneRequest command;
  command.set_project_id("app-1");
  command.set_milestone_id(id);
  command.set_title("Prototype");
  *command.mutable_start_date() = start;
  *command.mutable_end_date() = end;
  return command;
}

v1::ProjectEvent Planned() {
  return Event(R"pb(
    milestone_planned {
      project_id: "app-1"
      milestone_id: "ms-1"
      title: "Prototype"
      start_date { year: 2026 month: 3 day: 2 }
      end_date { year: 2026 month: 4 day: 30 }
    }
  )pb");
}

v1::MoveMilestoneRequest Move(v1::Date start, v1::Date end) {
  v1::MoveMilestoneRequest command;
  command.set_project_id("app-1");
  command.set_milestone_id("ms-1");
  *command.mutable_start_date() = start;
  *command.mutable_end_date() = end;
  command.set_reason("Waiting for equipment.");
  return command;
}

v1::CompleteMilestoneRequest Complete(std::string id, v1::Date on) {
  v1::CompleteMilestoneRequest command;
  command.set_project_id("app-1");
  command.set_milestone_id(id);
  *command.mutable_completed_on() = on;
  return command;
}

TEST(MilestoneTest, PlansAMilestone) {
  Given({Opened()})
      .When(Plan("ms-1", D(2026, 3, 2), D(2026, 4, 30)))
      .Then({Planned()});
}

TEST(MilestoneTest, OneDayMilestoneIsFine) {
  EXPECT_EQ(Given({Opened()})
                .When(Plan("ms-1", D(2026, 3, 2), D(2026, 3, 2)))
                .Events()
                .size(),
            1u);
}

TEST(MilestoneTest, RefusesEndBeforeStart) {
  Given({Opened()})
      .When(Plan("ms-1", D(2026, 3, 2), D(2026, 3, 1)))
      .ThenRefuses("DATE_RANGE_INVERTED");
}

TEST(MilestoneTest, RefusesStartBeforeTheContract) {
  Given({Opened()})
      .When(Plan("ms-1", D(2025, 8, 1), D(2025, 9, 30)))
      .ThenRefuses("DATE_BEFORE_CONTRACT_START");
}

TEST(MilestoneTest, RefusesAReusedId) {
  Given({Opened(), Planned()})
      .When(Plan("ms-1", D(2026, 3, 2), D(2026, 4, 30)))
      .ThenRefuses("MILESTONE_ALREADY_PLANNED");
}

TEST(MilestoneTest, MovingRecordsTheDatesBeforeAndAfter) {
  Given({Opened(), Planned()})
      .When(Move(D(2026, 3, 16), D(2026, 5, 15)))
      .Then({Event(R"pb(
        milestone_moved {
          project_id: "app-1"
          milestone_id: "ms-1"
          previous_start_date { year: 2026 month: 3 day: 2 }
          previous_end_date { year: 2026 month: 4 day: 30 }
          start_date { year: 2026 month: 3 day: 16 }
          end_date { year: 2026 month: 5 day: 15 }
          reason: "Waiting for equipment."
        }
      )pb")});
}

TEST(MilestoneTest, RefusesMovingToTheSameDates) {
  Given({Opened(), Planned()})
      .When(Move(D(2026, 3, 2), D(2026, 4, 30)))
      .ThenRefuses("MILESTONE_NOT_MOVED");
}

TEST(MilestoneTest, RefusesMovingToAnInvertedRange) {
  Given({Opened(), Planned()})
      .When(Move(D(2026, 5, 2), D(2026, 4, 30)))
      .ThenRefuses("DATE_RANGE_INVERTED");
}

TEST(MilestoneTest, RefusesAnUnknownMilestone) {
  Given({Opened()})
      .When(Move(D(2026, 3, 16), D(2026, 5, 15)))
      .ThenFails(absl::StatusCode::kNotFound, "MILESTONE_NOT_FOUND");
  Given({Opened()})
      .When(Complete("ms-1", D(2026, 2, 2)))
      .ThenFails(absl::StatusCode::kNotFound, "MILESTONE_NOT_FOUND");
}

TEST(MilestoneTest, CompletionCarriesThePlannedEnd) {
  Given({Opened(), Planned()})
      .When(Complete("ms-1", D(2026, 2, 13)))
      .Then({Event(R"pb(
        milestone_completed {
          project_id: "app-1"
          milestone_id: "ms-1"
          completed_on { year: 2026 month: 2 day: 13 }
          planned_end_date { year: 2026 month: 4 day: 30 }
        }
      )pb")});
}

TEST(MilestoneTest, ACompletedMilestoneIsHistory) {
  v1::ProjectEvent done =
      Event(R"pb(milestone_completed { milestone_id: "ms-1" })pb");
  Given({Opened(), Planned(), done})
      .When(Complete("ms-1", D(2026, 2, 13)))
      .ThenRefuses("MILESTONE_ALREADY_COMPLETED");
  Given({Opened(), Planned(), done})
      .When(Move(D(2026, 3, 16), D(2026, 5, 15)))
      .ThenRefuses("MILESTONE_ALREADY_COMPLETED");
}

TEST(MilestoneTest, RefusesCompletionInTheFuture) {
  Given({Opened(), Planned()})
      .When(Complete("ms-1", D(2026, 3, 2)))
      .ThenRefuses("DATE_IN_FUTURE");
}

// --- Resources -------------------------------------------------------------

v1::RequestResourceRequest AskRoom(v1::Date from, v1::Date until) {
  v1::RequestResourceRequest command;
  command.set_project_id("app-1");
  command.set_resource_request_id("r-1");
  command.set_kind(v1::RESOURCE_KIND_PREMISES);
  command.set_description("A room for user tests.");
  *command.mutable_needed_from() = from;
  *command.mutable_needed_until() = until;
  return command;
}

v1::ProjectEvent RoomRequested() {
  return Event(R"pb(
    resource_requested {
      project_id: "app-1"
      resource_request_id: "r-1"
      kind: RESOURCE_KIND_PREMISES
      description: "A room for user tests."
      needed_from { year: 2026 month: 3 day: 2 }
      needed_until { year: 2026 month: 3 day: 6 }
      requested_on { year: 2026 month: 2 day: 16 }
    }
  )pb");
}

v1::DecideResourceRequestRequest DecideRoom(v1::ResourceDecision decision) {
  v1::DecideResourceRequestRequest command;
  command.set_project_id("app-1");
  command.set_resource_request_id("r-1");
  command.set_decision(decision);
  command.set_comment("Room 2 is booked that week.");
  return command;
}

TEST(ResourceTest, RequestsARoom) {
  Given({Opened()})
      .When(AskRoom(D(2026, 3, 2), D(2026, 3, 6)))
      .Then({RoomRequested()});
}

TEST(ResourceTest, RefusesAReusedId) {
  Given({Opened(), RoomRequested()})
      .When(AskRoom(D(2026, 3, 2), D(2026, 3, 6)))
      .ThenRefuses("RESOURCE_REQUEST_ALREADY_EXISTS");
}

TEST(ResourceTest, RefusesAnInvertedNeed) {
  Given({Opened()})
      .When(AskRoom(D(2026, 3, 6), D(2026, 3, 2)))
      .ThenRefuses("DATE_RANGE_INVERTED");
}

TEST(ResourceTest, NoRequestAfterTheContractEnded) {
  Given({Opened(), EndedOn(2026, 1, 30)})
      .When(AskRoom(D(2026, 3, 2), D(2026, 3, 6)))
      .ThenRefuses("CONTRACT_ENDED");
}

TEST(ResourceTest, GrantsARequest) {
  Given({Opened(), RoomRequested()})
      .When(DecideRoom(v1::RESOURCE_DECISION_GRANTED))
      .Then({Event(R"pb(
        resource_request_granted {
          project_id: "app-1"
          resource_request_id: "r-1"
          kind: RESOURCE_KIND_PREMISES
          decided_on { year: 2026 month: 2 day: 16 }
          comment: "Room 2 is booked that week."
        }
      )pb")});
}

TEST(ResourceTest, DeclinesARequestWithItsReason) {
  Given({Opened(), RoomRequested()})
      .When(DecideRoom(v1::RESOURCE_DECISION_DECLINED))
      .Then({Event(R"pb(
        resource_request_declined {
          project_id: "app-1"
          resource_request_id: "r-1"
          kind: RESOURCE_KIND_PREMISES
          decided_on { year: 2026 month: 2 day: 16 }
          reason: "Room 2 is booked that week."
        }
      )pb")});
}

TEST(ResourceTest, DecidesOnlyKnownUndecidedRequests) {
  Given({Opened()})
      .When(DecideRoom(v1::RESOURCE_DECISION_GRANTED))
      .ThenFails(absl::StatusCode::kNotFound, "RESOURCE_REQUEST_NOT_FOUND");
  Given({Opened(), RoomRequested(), Event(R"pb(resource_request_granted {
                                                 resource_request_id: "r-1"
                                               })pb")})
      .When(DecideRoom(v1::RESOURCE_DECISION_DECLINED))
      .ThenRefuses("RESOURCE_REQUEST_ALREADY_DECIDED");
}

// --- Funding ---------------------------------------------------------------

v1::SubmitFundingApplicationRequest ApplyForFunding(v1::Date submitted,
                                                    v1::Date deadline) {
  v1::SubmitFundingApplicationRequest command;
  command.set_project_id("app-1");
  command.set_funding_application_id("f-1");
  command.set_funder("Fondation Roi Baudouin");
  command.set_call_name("Digital inclusion 2026");
  command.mutable_amount_requested()->set_cents(1'500'000);
  *command.mutable_deadline() = deadline;
  *command.mutable_submitted_on() = submitted;
  return command;
}

v1::ProjectEvent FundingSubmitted() {
  return Event(R"pb(
    funding_application_submitted {
      project_id: "app-1"
      funding_application_id: "f-1"
      funder: "Fondation Roi Baudouin"
      call_name: "Digital inclusion 2026"
      amount_requested { cents: 1500000 }
      deadline { year: 2026 month: 1 day: 31 }
      submitted_on { year: 2026 month: 1 day: 20 }
    }
  )pb");
}

v1::RecordFundingDecisionRequest FundingDecision(v1::FundingOutcome outcome,
                                                 int64_t granted, v1::Date on) {
  v1::RecordFundingDecisionRequest command;
  command.set_project_id("app-1");
  command.set_funding_application_id("f-1");
  command.set_outcome(outcome);
  if (granted > 0) command.mutable_amount_granted()->set_cents(granted);
  *command.mutable_decided_on() = on;
  return command;
}

TEST(FundingTest, SubmitsAnApplication) {
  Given({Opened()})
      .When(ApplyForFunding(D(2026, 1, 20), D(2026, 1, 31)))
      .Then({FundingSubmitted()});
}

TEST(FundingTest, RefusesSubmissionAfterTheDeadline) {
  Given({Opened()})
      .When(ApplyForFunding(D(2026, 2, 2), D(2026, 1, 31)))
      .ThenRefuses("FUNDING_DEADLINE_PASSED");
}

TEST(FundingTest, RefusesAReusedId) {
  Given({Opened(), FundingSubmitted()})
      .When(ApplyForFunding(D(2026, 1, 20), D(2026, 1, 31)))
      .ThenRefuses("FUNDING_APPLICATION_ALREADY_EXISTS");
}

TEST(FundingTest, RecordsAGrant) {
  Given({Opened(), FundingSubmitted()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_GRANTED, 1'000'000,
                            D(2026, 2, 12)))
      .Then({Event(R"pb(
        funding_application_granted {
          project_id: "app-1"
          funding_application_id: "f-1"
          funder: "Fondation Roi Baudouin"
          amount_requested { cents: 1500000 }
          amount_granted { cents: 1000000 }
          decided_on { year: 2026 month: 2 day: 12 }
        }
      )pb")});
}

TEST(FundingTest, RecordsARefusal) {
  Given({Opened(), FundingSubmitted()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_REFUSED, 0, D(2026, 2, 12)))
      .Then({Event(R"pb(
        funding_application_refused {
          project_id: "app-1"
          funding_application_id: "f-1"
          funder: "Fondation Roi Baudouin"
          amount_requested { cents: 1500000 }
          decided_on { year: 2026 month: 2 day: 12 }
        }
      )pb")});
}

TEST(FundingTest, RefusesADecisionBeforeTheSubmission) {
  Given({Opened(), FundingSubmitted()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_REFUSED, 0, D(2026, 1, 19)))
      .ThenRefuses("FUNDING_DECISION_BEFORE_SUBMISSION");
}

TEST(FundingTest, RefusesADecisionInTheFuture) {
  Given({Opened(), FundingSubmitted()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_REFUSED, 0, D(2026, 2, 17)))
      .ThenRefuses("DATE_IN_FUTURE");
}

TEST(FundingTest, RefusesAGrantAboveTheRequest) {
  Given({Opened(), FundingSubmitted()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_GRANTED, 1'500'001,
                            D(2026, 2, 12)))
      .ThenRefuses("FUNDING_GRANT_EXCEEDS_REQUEST");
}

TEST(FundingTest, DecidesOnlyKnownUndecidedApplications) {
  Given({Opened()})
      .When(FundingDecision(v1::FUNDING_OUTCOME_REFUSED, 0, D(2026, 2, 12)))
      .ThenFails(absl::StatusCode::kNotFound, "FUNDING_APPLICATION_NOT_FOUND");
  Given(
      {Opened(), FundingSubmitted(), Event(R"pb(funding_application_refused {
                                                  funding_application_id: "f-1"
                                                })pb")})
      .When(FundingDecision(v1::FUNDING_OUTCOME_GRANTED, 10, D(2026, 2, 12)))
      .ThenRefuses("FUNDING_APPLICATION_ALREADY_DECIDED");
}

TEST(FundingTest, ADecisionMayArriveAfterTheContractEnded) {
  EXPECT_EQ(Given({Opened(), FundingSubmitted(), EndedOn(2026, 1, 30)})
                .When(FundingDecision(v1::FUNDING_OUTCOME_GRANTED, 500,
                                      D(2026, 2, 12)))
                .Events()
                .size(),
            1u);
}

// --- Partners --------------------------------------------------------------

v1::ContactPartnerRequest Contact(v1::Date on) {
  v1::ContactPartnerRequest command;
  command.set_project_id("app-1");
  command.set_partner_id("p-1");
  command.set_organisation_name("Musee des enfants");
  *command.mutable_contacted_on() = on;
  return command;
}

v1::ProjectEvent Contacted() {
  return Event(R"pb(
    partner_contacted {
      project_id: "app-1"
      partner_id: "p-1"
      organisation_name: "Musee des enfants"
      contacted_on { year: 2026 month: 1 day: 12 }
    }
  )pb");
}

v1::AgreePartnershipRequest Agree(v1::Date on) {
  v1::AgreePartnershipRequest command;
  command.set_project_id("app-1");
  command.set_partner_id("p-1");
  *command.mutable_agreed_on() = on;
  command.set_terms("Test sessions with school groups.");
  return command;
}

TEST(PartnerTest, RecordsAContact) {
  Given({Opened()}).When(Contact(D(2026, 1, 12))).Then({Contacted()});
}

TEST(PartnerTest, RefusesContactingTheSamePartnerIdTwice) {
  Given({Opened(), Contacted()})
      .When(Contact(D(2026, 1, 13)))
      .ThenRefuses("PARTNER_ALREADY_CONTACTED");
}

TEST(PartnerTest, AgreesAPartnershipWithAContactedPartner) {
  Given({Opened(), Contacted()}).When(Agree(D(2026, 2, 9))).Then({Event(R"pb(
    partnership_agreed {
      project_id: "app-1"
      partner_id: "p-1"
      organisation_name: "Musee des enfants"
      agreed_on { year: 2026 month: 2 day: 9 }
      terms: "Test sessions with school groups."
    }
  )pb")});
}

TEST(PartnerTest, PartnershipNeedsAContactFirst) {
  Given({Opened()})
      .When(Agree(D(2026, 2, 9)))
      .ThenRefuses("PARTNER_NOT_CONTACTED");
}

TEST(PartnerTest, RefusesAnAgreementBeforeTheContact) {
  Given({Opened(), Contacted()})
      .When(Agree(D(2026, 1, 9)))
      .ThenRefuses("PARTNERSHIP_BEFORE_CONTACT");
}

TEST(PartnerTest, AgreesOnce) {
  Given({Opened(), Contacted(),
         Event(R"pb(partnership_agreed { partner_id: "p-1" })pb")})
      .When(Agree(D(2026, 2, 9)))
      .ThenRefuses("PARTNERSHIP_ALREADY_AGREED");
}

// --- Communication ---------------------------------------------------------

v1::PublishCommunicationRequest Publish(v1::Date on) {
  v1::PublishCommunicationRequest command;
  command.set_project_id("app-1");
  command.set_publication_id("pub-1");
  command.set_channel(v1::COMMUNICATION_CHANNEL_WEBSITE);
  command.set_title("Museum quest is live");
  command.set_link("https://example.org/quest");
  *command.mutable_published_on() = on;
  return command;
}

TEST(CommunicationTest, PublishesOnAChannel) {
  Given({Opened()}).When(Publish(D(2026, 2, 10))).Then({Event(R"pb(
    communication_published {
      project_id: "app-1"
      publication_id: "pub-1"
      channel: COMMUNICATION_CHANNEL_WEBSITE
      title: "Museum quest is live"
      link: "https://example.org/quest"
      published_on { year: 2026 month: 2 day: 10 }
    }
  )pb")});
}

TEST(CommunicationTest, RefusesAReusedId) {
  Given({Opened(),
         Event(R"pb(communication_published { publication_id: "pub-1" })pb")})
      .When(Publish(D(2026, 2, 10)))
      .ThenRefuses("PUBLICATION_ALREADY_RECORDED");
}

TEST(CommunicationTest, RefusesAPublicationInTheFuture) {
  Given({Opened()}).When(Publish(D(2026, 3, 1))).ThenRefuses("DATE_IN_FUTURE");
}

}  // namespace
}  // namespace coopcraft::domain::project::testing
