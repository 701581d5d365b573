// Given/when/then for deciders:
//   Given({CallOpened...}).When(CloseCallRequest...).Then({CallClosed...});
//   Given(kNoApplication).When(submit, call_state).ThenFails(code, "RULE");
// Given folds the history with Evolve; When calls the matching Decide
// overload (extra inputs such as a call's state go between the command and
// the context); Then compares events field by field.
#ifndef COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SCENARIO_H_
#define COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SCENARIO_H_

#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/domain/cohort/cohort.h"
#include "services/domain/decision.h"
#include "services/domain/selection/application.h"
#include "services/domain/selection/call.h"

namespace coopcraft::testing {

// The day every scenario runs on unless On() says otherwise.
inline v1::Date ScenarioToday() {
  v1::Date today;
  today.set_year(2026);
  today.set_month(2);
  today.set_day(16);
  return today;
}

template <typename State, typename Event>
class Scenario {
 public:
  explicit Scenario(const std::vector<Event>& history) {
    for (const Event& event : history)
      state_ = Evolve(std::move(state_), event);
    context_.today = ScenarioToday();
    context_.actor = "coach-1";
  }

  // Runs the command as if today were `today`.
  Scenario& On(const v1::Date& today) {
    context_.today = today;
    return *this;
  }

  template <typename Command, typename... Inputs>
  Scenario& When(const Command& command, const Inputs&... inputs) {
    result_ = Decide(state_, command, inputs..., context_);
    return *this;
  }

  void Then(const std::vector<Event>& expected,
            std::source_location where = std::source_location::current()) {
    if (!result_.ok()) {
      ADD_FAILURE_AT(where.file_name(), where.line())
          << "expected events, got " << result_.status();
      return;
    }
    if (result_->size() != expected.size()) {
      ADD_FAILURE_AT(where.file_name(), where.line())
          << "expected " << expected.size() << " events, got "
          << result_->size();
      return;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string diff;
      google::protobuf::util::MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&diff);
      if (!differencer.Compare(expected[i], (*result_)[i])) {
        ADD_FAILURE_AT(where.file_name(), where.line())
            << "event " << i << " differs (left: expected):\n"
            << diff;
      }
    }
  }

  // The refusal's code and stable reason, the message's leading "RULE:".
  void ThenFails(absl::StatusCode code, absl::string_view reason,
                 std::source_location where = std::source_location::current()) {
    if (result_.ok()) {
      ADD_FAILURE_AT(where.file_name(), where.line())
          << "expected " << reason << ", got " << result_->size() << " events";
      return;
    }
    const absl::Status& status = result_.status();
    if (status.code() != code ||
        !absl::StartsWith(status.message(), absl::StrCat(reason, ": "))) {
      ADD_FAILURE_AT(where.file_name(), where.line())
          << "expected " << absl::StatusCodeToString(code) << " " << reason
          << ", got " << status;
    }
  }

  // A rule was broken: FAILED_PRECONDITION with this reason.
  void ThenRefuses(
      absl::string_view reason,
      std::source_location where = std::source_location::current()) {
    ThenFails(absl::StatusCode::kFailedPrecondition, reason, where);
  }

  const State& state() const { return state_; }

 private:
  State state_;
  domain::DecisionContext context_;
  absl::StatusOr<std::vector<Event>> result_ =
      absl::UnknownError("When() was not called");
};

using CallScenario = Scenario<domain::selection::CallState, v1::CallEvent>;
using ApplicationScenario =
    Scenario<domain::selection::ApplicationState, v1::ApplicationEvent>;
using CohortScenario = Scenario<domain::cohort::CohortState, v1::CohortEvent>;

inline CallScenario Given(const std::vector<v1::CallEvent>& history) {
  return CallScenario(history);
}
inline ApplicationScenario Given(
    const std::vector<v1::ApplicationEvent>& history) {
  return ApplicationScenario(history);
}
inline CohortScenario Given(const std::vector<v1::CohortEvent>& history) {
  return CohortScenario(history);
}

// Empty histories, since Given({}) cannot tell the aggregates apart.
inline const std::vector<v1::CallEvent> kNoCall;
inline const std::vector<v1::ApplicationEvent> kNoApplication;
inline const std::vector<v1::CohortEvent> kNoCohort;

// Folds a history into a state, for cross-aggregate inputs.
template <typename State, typename Event>
State Fold(const std::vector<Event>& history) {
  State state;
  for (const Event& event : history) state = Evolve(std::move(state), event);
  return state;
}

// A copy of `message` changed by `change`, so a test states only what
// differs from the fixture: With(Select(), [](auto& c) { ... }).
template <typename Message, typename Change>
Message With(Message message, Change change) {
  change(message);
  return message;
}

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_SCENARIO_H_
