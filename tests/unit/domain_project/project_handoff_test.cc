// Hand-off: proposed with its dossier after the evaluation and with consent,
// answered once by the partner it is addressed to.
#include "given_when_then.h"

namespace coopcraft::domain::project::testing {
namespace {

v1::ProjectEvent Evaluated() {
  return Event(R"pb(
    evaluation_recorded {
      project_id: "app-1"
      evaluated_on { year: 2026 month: 2 day: 9 }
      autonomy_level: AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS
    }
  )pb");
}

v1::ProposeHandOffRequest Propose(std::string id = "h-1",
                                  std::string partner = "job-yourself") {
  auto command = Cmd<v1::ProposeHandOffRequest>(R"pb(
    project_id: "app-1"
    dossier {
      maturity: PROJECT_MATURITY_PROTOTYPE
      business_model_summary: "Paid workshops for schools."
      revenue_to_date { cents: 120000 }
      consent {
        given: true
        given_on { year: 2026 month: 2 day: 10 }
        reference: "consent-form-17"
      }
    }
  )pb");
  command.set_handoff_id(id);
  command.set_partner_organisation_id(partner);
  return command;
}

v1::ProjectEvent Proposed(std::string id = "h-1",
                          std::string partner = "job-yourself") {
  v1::ProjectEvent event;
  auto* proposed = event.mutable_hand_off_proposed();
  proposed->set_project_id("app-1");
  proposed->set_handoff_id(id);
  proposed->set_partner_organisation_id(partner);
  return event;
}

v1::AcceptHandOffRequest Accept(std::string partner = "job-yourself") {
  v1::AcceptHandOffRequest command;
  command.set_project_id("app-1");
  command.set_handoff_id("h-1");
  command.set_partner_organisation_id(partner);
  command.set_comment("Welcome aboard.");
  return command;
}

v1::DeclineHandOffRequest Decline(std::string partner = "job-yourself") {
  v1::DeclineHandOffRequest command;
  command.set_project_id("app-1");
  command.set_handoff_id("h-1");
  command.set_partner_organisation_id(partner);
  command.set_reason("No coach free before autumn.");
  return command;
}

v1::ProjectEvent Accepted() {
  return Event(R"pb(
    hand_off_accepted {
      project_id: "app-1"
      handoff_id: "h-1"
      partner_organisation_id: "job-yourself"
      accepted_on { year: 2026 month: 2 day: 16 }
      comment: "Welcome aboard."
    }
  )pb");
}

// --- ProposeHandOff --------------------------------------------------------

TEST(ProposeHandOffTest, CarriesTheDossierAndTheContractStanding) {
  Given({Opened(), WorkedSeptember(), Evaluated()})
      .When(Propose())
      .Then({Event(R"pb(
        hand_off_proposed {
          project_id: "app-1"
          handoff_id: "h-1"
          partner_organisation_id: "job-yourself"
          person_id: "person-1"
          dossier {
            maturity: PROJECT_MATURITY_PROTOTYPE
            business_model_summary: "Paid workshops for schools."
            revenue_to_date { cents: 120000 }
            consent {
              given: true
              given_on { year: 2026 month: 2 day: 10 }
              reference: "consent-form-17"
            }
            intellectual_property {
              status: INTELLECTUAL_PROPERTY_STATUS_EMPLOYER_OWNED
            }
          }
          contract {
            start_date { year: 2025 month: 9 day: 1 }
            end_date { year: 2026 month: 9 day: 5 }
            ended: false
            worked_days: 20
            target_days: 312
          }
          autonomy_level: AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS
          proposed_on { year: 2026 month: 2 day: 16 }
        }
      )pb")});
}

TEST(ProposeHandOffTest, AnEndedContractShowsItsActualEnd) {
  auto events = Given({Opened(), Evaluated(), EndedOn(2026, 2, 13)})
                    .When(Propose())
                    .Events();
  ASSERT_EQ(events.size(), 1u);
  const v1::ContractStanding& contract =
      events[0].hand_off_proposed().contract();
  EXPECT_TRUE(contract.ended());
  EXPECT_EQ(FormatDate(contract.end_date()), "2026-02-13");
}

TEST(ProposeHandOffTest, KeepsALicenceAndItsReference) {
  v1::ProposeHandOffRequest command = Propose();
  auto* ip = command.mutable_dossier()->mutable_intellectual_property();
  ip->set_status(v1::INTELLECTUAL_PROPERTY_STATUS_LICENSED);
  ip->set_agreement_reference("licence-2026-03");
  auto events = Given({Opened(), Evaluated()}).When(command).Events();
  ASSERT_EQ(events.size(), 1u);
  const auto& recorded =
      events[0].hand_off_proposed().dossier().intellectual_property();
  EXPECT_EQ(recorded.status(), v1::INTELLECTUAL_PROPERTY_STATUS_LICENSED);
  EXPECT_EQ(recorded.agreement_reference(), "licence-2026-03");
}

TEST(ProposeHandOffTest, NeedsACompletedEvaluation) {
  Given({Opened()}).When(Propose()).ThenRefuses("EVALUATION_REQUIRED");
}

TEST(ProposeHandOffTest, NeedsRecordedConsent) {
  v1::ProposeHandOffRequest command = Propose();
  command.mutable_dossier()->mutable_consent()->set_given(false);
  Given({Opened(), Evaluated()})
      .When(command)
      .ThenRefuses("HANDOFF_CONSENT_MISSING");
}

TEST(ProposeHandOffTest, RefusesConsentDatedInTheFuture) {
  v1::ProposeHandOffRequest command = Propose();
  *command.mutable_dossier()->mutable_consent()->mutable_given_on() =
      D(2026, 2, 20);
  Given({Opened(), Evaluated()}).When(command).ThenRefuses("DATE_IN_FUTURE");
}

TEST(ProposeHandOffTest, OneProposalAtATime) {
  Given({Opened(), Evaluated(), Proposed()})
      .When(Propose("h-2", "other-coop"))
      .ThenRefuses("HANDOFF_PENDING");
}

TEST(ProposeHandOffTest, RefusesAReusedId) {
  Given({Opened(), Evaluated(), Proposed(),
         Event(R"pb(hand_off_declined { handoff_id: "h-1" })pb")})
      .When(Propose("h-1", "other-coop"))
      .ThenRefuses("HANDOFF_ALREADY_EXISTS");
}

TEST(ProposeHandOffTest, AfterADeclineAnotherPartnerMayBeAsked) {
  EXPECT_EQ(Given({Opened(), Evaluated(), Proposed(),
                   Event(R"pb(hand_off_declined { handoff_id: "h-1" })pb")})
                .When(Propose("h-2", "other-coop"))
                .Events()
                .size(),
            1u);
}

TEST(ProposeHandOffTest, NoProposalAfterAnAcceptedHandOff) {
  Given({Opened(), Evaluated(), Proposed(), Accepted()})
      .When(Propose("h-2", "other-coop"))
      .ThenRefuses("PROJECT_ALREADY_HANDED_OFF");
}

// --- AcceptHandOff / DeclineHandOff ----------------------------------------

TEST(AnswerHandOffTest, PartnerAccepts) {
  Given({Opened(), Evaluated(), Proposed()}).When(Accept()).Then({Accepted()});
}

TEST(AnswerHandOffTest, PartnerDeclinesWithAReason) {
  Given({Opened(), Evaluated(), Proposed()}).When(Decline()).Then({Event(R"pb(
    hand_off_declined {
      project_id: "app-1"
      handoff_id: "h-1"
      partner_organisation_id: "job-yourself"
      declined_on { year: 2026 month: 2 day: 16 }
      reason: "No coach free before autumn."
    }
  )pb")});
}

TEST(AnswerHandOffTest, OnlyTheAddressedPartnerAnswers) {
  Given({Opened(), Evaluated(), Proposed()})
      .When(Accept("other-coop"))
      .ThenRefuses("HANDOFF_NOT_ADDRESSED_TO_PARTNER");
  Given({Opened(), Evaluated(), Proposed()})
      .When(Decline("other-coop"))
      .ThenRefuses("HANDOFF_NOT_ADDRESSED_TO_PARTNER");
}

TEST(AnswerHandOffTest, AnswersOnce) {
  Given({Opened(), Evaluated(), Proposed(), Accepted()})
      .When(Accept())
      .ThenRefuses("HANDOFF_ALREADY_ANSWERED");
  Given({Opened(), Evaluated(), Proposed(), Accepted()})
      .When(Decline())
      .ThenRefuses("HANDOFF_ALREADY_ANSWERED");
}

TEST(AnswerHandOffTest, UnknownHandOff) {
  Given({Opened()})
      .When(Accept())
      .ThenFails(absl::StatusCode::kNotFound, "HANDOFF_NOT_FOUND");
}

TEST(AnswerHandOffTest, UnknownProject) {
  Given({}).When(Decline()).ThenFails(absl::StatusCode::kNotFound,
                                      "PROJECT_NOT_FOUND");
}

TEST(AnswerHandOffTest, AcceptedHandOffAllowsTheHandOffExitAndClosure) {
  auto scenario = Given({Opened(), Evaluated(), Proposed()});
  scenario.When(Accept());
  ProjectState state = scenario.StateAfter();
  EXPECT_EQ(state.accepted_handoff_id, "h-1");
  EXPECT_TRUE(state.pending_handoff_id.empty());
}

}  // namespace
}  // namespace coopcraft::domain::project::testing
