// Given/when/then for the Project aggregate:
//   Given({Opened()}).When(Cmd<v1::LogActionRequest>(...)).Then({...});
//   Given({}).When(open, candidate).ThenFails(kFailedPrecondition, "REASON");
// Given folds its events with Evolve, When runs Decide on the result, and
// Then compares the decided events field by field.
#ifndef COOPCRAFT_TESTS_UNIT_DOMAIN_PROJECT_GIVEN_WHEN_THEN_H_
#define COOPCRAFT_TESTS_UNIT_DOMAIN_PROJECT_GIVEN_WHEN_THEN_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "coopcraft/v1/project_events.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/domain/date.h"
#include "services/domain/decision.h"
#include "services/domain/project/project_decider.h"
#include "services/domain/project/project_state.h"

namespace coopcraft::domain::project::testing {

namespace v1 = ::coopcraft::v1;

// Parses a text-format message; a typo in a test fails the test loudly.
template <typename Message>
Message Parse(std::string_view text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                            &message))
      << "bad text proto for " << Message::descriptor()->full_name() << ": "
      << text;
  return message;
}

// A command request in text format.
template <typename Command>
Command Cmd(std::string_view text) {
  return Parse<Command>(text);
}

// A ProjectEvent in text format, e.g. Event(R"pb(project_closed {...})pb").
inline v1::ProjectEvent Event(std::string_view text) {
  return Parse<v1::ProjectEvent>(text);
}

inline v1::Date D(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// "Today" of every scenario unless a test says otherwise: a Monday, five
// and a half months into the standard contract.
inline DecisionContext Today(int year = 2026, int month = 2, int day = 16) {
  return DecisionContext{.today = D(year, month, day), .actor = "coach-1"};
}

class Scenario {
 public:
  explicit Scenario(std::vector<v1::ProjectEvent> given) {
    for (const v1::ProjectEvent& event : given) {
      state_ = Evolve(std::move(state_), event);
    }
  }

  // Changes the decision context (today, actor) for the next When.
  Scenario& On(DecisionContext context) {
    context_ = std::move(context);
    return *this;
  }

  template <typename Command>
  Scenario& When(const Command& command) {
    result_ = Decide(state_, command, context_);
    return *this;
  }

  Scenario& When(const v1::OpenProjectRequest& command,
                 const SelectedCandidate& candidate) {
    result_ = Decide(state_, command, candidate, context_);
    return *this;
  }

  // Expects success with exactly `expected`, in order.
  void Then(const std::vector<v1::ProjectEvent>& expected) const {
    ASSERT_TRUE(result_.ok()) << result_.status();
    ASSERT_EQ(result_->size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string diff;
      google::protobuf::util::MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&diff);
      EXPECT_TRUE(differencer.Compare(expected[i], (*result_)[i]))
          << "event " << i << " differs:\n"
          << diff << "decided:\n"
          << (*result_)[i].DebugString();
    }
  }

  // Expects a refusal with `code` whose message starts with "REASON: ".
  void ThenFails(absl::StatusCode code, std::string_view reason) const {
    ASSERT_FALSE(result_.ok())
        << "decided instead: " << result_->size() << " event(s)";
    EXPECT_EQ(result_.status().code(), code) << result_.status();
    const std::string prefix = std::string(reason) + ": ";
    EXPECT_TRUE(absl::StartsWith(result_.status().message(), prefix))
        << result_.status();
  }

  // A rule refusal (FAILED_PRECONDITION) with `reason`.
  void ThenRefuses(std::string_view reason) const {
    ThenFails(absl::StatusCode::kFailedPrecondition, reason);
  }

  // The decided events, for tests that look at one derived field.
  std::vector<v1::ProjectEvent> Events() const {
    EXPECT_TRUE(result_.ok()) << result_.status();
    return result_.ok() ? *result_ : std::vector<v1::ProjectEvent>{};
  }

  // The state after Given, and after the decided events when When succeeded.
  ProjectState StateAfter() const {
    ProjectState state = state_;
    if (result_.ok()) {
      for (const v1::ProjectEvent& event : *result_) {
        state = Evolve(std::move(state), event);
      }
    }
    return state;
  }

 private:
  ProjectState state_;
  DecisionContext context_ = Today();
  absl::StatusOr<std::vector<v1::ProjectEvent>> result_ =
      absl::UnknownError("When was not called");
};

inline Scenario Given(std::vector<v1::ProjectEvent> events) {
  return Scenario(std::move(events));
}

// The standard project: application "app-1", contract from Monday
// 2025-09-01 for a participant aged 35 (historic rule: 312 days).
inline v1::ProjectEvent Opened() {
  return Event(R"pb(
    project_opened {
      project_id: "app-1"
      call_id: "call-2025"
      person_id: "person-1"
      employing_cpas_id: "cpas-schaerbeek"
      user_organisation_id: "arts-et-publics"
      title: "Museum quest game"
      contract_start_date { year: 2025 month: 9 day: 1 }
      contract_rule_set: "art60-age-banded-1976"
      age_at_start: 35
      target_worked_days: 312
      expected_end_date { year: 2026 month: 8 day: 29 }
      gender_category: GENDER_CATEGORY_WOMAN
      age_band: AGE_BAND_UNDER_36
      months_on_integration_income: 14
      coach_id: "coach-1"
    }
  )pb");
}

// The candidate the standard project is opened from.
inline SelectedCandidate Candidate() {
  return SelectedCandidate{.application_id = "app-1",
                           .selected = true,
                           .person_id = "person-1",
                           .call_id = "call-2025",
                           .cpas_id = "cpas-schaerbeek",
                           .selected_on = D(2025, 8, 18),
                           .birth_date = D(1990, 5, 10),
                           .gender_category = v1::GENDER_CATEGORY_WOMAN,
                           .months_on_integration_income = 14};
}

// The OpenProject command that yields Opened() from Candidate().
inline v1::OpenProjectRequest OpenCommand() {
  return Cmd<v1::OpenProjectRequest>(R"pb(
    project_id: "app-1"
    employing_cpas_id: "cpas-schaerbeek"
    user_organisation_id: "arts-et-publics"
    title: "Museum quest game"
    contract_start_date { year: 2025 month: 9 day: 1 }
    coach_id: "coach-1"
  )pb");
}

// WorkedDaysRecorded against the standard 312-day target.
inline v1::ProjectEvent Worked(v1::Date from, v1::Date to, int days, int total,
                               v1::Date expected_end) {
  v1::ProjectEvent event;
  v1::WorkedDaysRecorded* worked = event.mutable_worked_days_recorded();
  worked->set_project_id("app-1");
  *worked->mutable_period_start() = from;
  *worked->mutable_period_end() = to;
  worked->set_days(days);
  worked->set_total_worked_days(total);
  worked->set_target_worked_days(312);
  worked->set_remaining_days(312 - total);
  *worked->mutable_expected_end_date() = expected_end;
  return event;
}

// 20 of September 2025's 26 counted days worked.
inline v1::ProjectEvent WorkedSeptember() {
  return Worked(D(2025, 9, 1), D(2025, 9, 30), 20, 20, D(2026, 9, 5));
}

// ContractEnded on the given day.
inline v1::ProjectEvent EndedOn(
    int year, int month, int day,
    v1::ExitOutcome outcome = v1::EXIT_OUTCOME_EMPLOYMENT) {
  v1::ProjectEvent event;
  v1::ContractEnded* ended = event.mutable_contract_ended();
  ended->set_project_id("app-1");
  *ended->mutable_ended_on() = D(year, month, day);
  ended->set_exit_outcome(outcome);
  ended->set_target_worked_days(312);
  return event;
}

// ProjectClosed after an employment exit.
inline v1::ProjectEvent Closed() {
  return Event(R"pb(
    project_closed {
      project_id: "app-1"
      closed_on { year: 2026 month: 2 day: 16 }
      exit_outcome: EXIT_OUTCOME_EMPLOYMENT
    }
  )pb");
}

}  // namespace coopcraft::domain::project::testing

#endif  // COOPCRAFT_TESTS_UNIT_DOMAIN_PROJECT_GIVEN_WHEN_THEN_H_
