// Fuzz target for SelectionService requests: decode, Validate, then Decide
// against the call and application states of a fixed history, folding what
// is accepted with Evolve (see fuzz_harness.h for the input format).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/api/validation/selection_validation.h"
#include "services/domain/selection/application.h"
#include "services/domain/selection/call.h"
#include "tests/fuzz/fuzz_harness.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::fuzz {
namespace {

namespace v1 = ::coopcraft::v1;
namespace selection = ::coopcraft::domain::selection;
namespace story = ::coopcraft::testing;

using selection::ApplicationState;
using selection::CallState;

constexpr char kCallId[] = "call-fuzz";
constexpr char kApplicationId[] = "application-fuzz";

// Selector byte values, in SelectionService order.
enum RequestType : uint8_t {
  kOpenCall,
  kCloseCall,
  kSubmitApplication,
  kReviewApplication,
  kRecordCpasOpinion,
  kSelectCandidate,
  kWaitlistCandidate,
  kRejectCandidate,
  kWithdrawApplication,
  kRequestTypeCount,
};

// The story's call closes 60 days after the real today; a fixed closing day
// after FixedContext().today keeps the history independent of the clock.
v1::OpenCallRequest OpenCall() {
  v1::OpenCallRequest request = story::OpenCall(kCallId);
  *request.mutable_closes_on() = story::Day(2026, 12, 31);
  return request;
}

// The states a request is decided against: a call and an application
// before they exist and at each step of their lives. Built once, by the real
// deciders, so a history the rules refuse fails loudly instead of testing less.
struct History {
  std::vector<CallState> calls;
  std::vector<ApplicationState> applications;
};

History BuildHistory() {
  const domain::DecisionContext context = FixedContext();
  History history;
  const CallState none;
  const CallState opened =
      MustFold(none, selection::Decide(none, OpenCall(), context), "OpenCall");
  const CallState closed = MustFold(
      opened,
      selection::Decide(
          opened, story::CloseCall(kCallId, story::Day(2026, 3, 1)), context),
      "CloseCall");
  history.calls = {none, opened, closed};

  const ApplicationState fresh;
  const ApplicationState submitted =
      MustFold(fresh,
               selection::Decide(
                   fresh, story::SubmitApplication(kApplicationId, kCallId),
                   opened, context),
               "SubmitApplication");
  const ApplicationState reviewed = MustFold(
      submitted,
      selection::Decide(submitted,
                        story::ReviewApplication(kApplicationId, "reviewer-1"),
                        context),
      "ReviewApplication");
  const ApplicationState favoured =
      MustFold(reviewed,
               selection::Decide(
                   reviewed, story::RecordCpasOpinion(kApplicationId), context),
               "RecordCpasOpinion");
  const ApplicationState waitlisted = MustFold(
      favoured,
      selection::Decide(favoured, story::WaitlistCandidate(kApplicationId, 1),
                        context),
      "WaitlistCandidate");
  const ApplicationState selected =
      MustFold(favoured,
               selection::Decide(
                   favoured, story::SelectCandidate(kApplicationId), context),
               "SelectCandidate");
  const ApplicationState withdrawn = MustFold(
      submitted,
      selection::Decide(submitted, story::WithdrawApplication(kApplicationId),
                        context),
      "WithdrawApplication");
  history.applications = {fresh,      submitted, reviewed, favoured,
                          waitlisted, selected,  withdrawn};
  return history;
}

const History& TheHistory() {
  static const History* const history = new History(BuildHistory());
  return *history;
}

// A valid request of each type, as seeds: the fuzzer starts from inputs
// that get past validation and into the rules.
std::vector<std::string> Seeds() {
  const std::string id = kApplicationId;
  return {
      Seed(kOpenCall, OpenCall()),
      Seed(kCloseCall, story::CloseCall(kCallId, story::Day(2026, 3, 1))),
      Seed(kSubmitApplication, story::SubmitApplication(id, kCallId)),
      Seed(kReviewApplication, story::ReviewApplication(id, "reviewer-2")),
      Seed(kReviewApplication,
           story::ReviewApplication(id, "reviewer-3",
                                    v1::REVIEW_RECOMMENDATION_REJECT)),
      Seed(kRecordCpasOpinion, story::RecordCpasOpinion(id)),
      Seed(kRecordCpasOpinion,
           story::RecordCpasOpinion(id, v1::CPAS_OPINION_UNFAVOURABLE)),
      Seed(kSelectCandidate, story::SelectCandidate(id)),
      Seed(kWaitlistCandidate, story::WaitlistCandidate(id, 2)),
      Seed(kRejectCandidate, story::RejectCandidate(id)),
      Seed(kWithdrawApplication, story::WithdrawApplication(id)),
  };
}

// Validate; when OK, decide against every call state and fold the result.
template <typename Request>
void RunCallCommand(const Selected& input) {
  Request request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (const CallState& call : TheHistory().calls) {
    FoldAll(call, CheckDecision(selection::Decide(call, request, context)));
  }
}

// Validate; when OK, decide against every application state and fold.
template <typename Request>
void RunApplicationCommand(const Selected& input) {
  Request request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (const ApplicationState& application : TheHistory().applications) {
    FoldAll(application,
            CheckDecision(selection::Decide(application, request, context)));
  }
}

// SubmitApplication also reads the call: every application state against
// every call state.
void RunSubmitApplication(const Selected& input) {
  v1::SubmitApplicationRequest request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (const ApplicationState& application : TheHistory().applications) {
    for (const CallState& call : TheHistory().calls) {
      FoldAll(application, CheckDecision(selection::Decide(application, request,
                                                           call, context)));
    }
  }
}

}  // namespace
}  // namespace coopcraft::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  coopcraft::fuzz::SilenceProtobufLogs();
  coopcraft::fuzz::MaybeWriteSeeds(*argc, *argv, coopcraft::fuzz::Seeds());
  coopcraft::fuzz::TheHistory();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace f = ::coopcraft::fuzz;
  namespace v1 = ::coopcraft::v1;
  f::Selected input;
  if (!f::Select(data, size, f::kRequestTypeCount, &input)) return 0;
  switch (input.type) {
    case f::kOpenCall:
      f::RunCallCommand<v1::OpenCallRequest>(input);
      break;
    case f::kCloseCall:
      f::RunCallCommand<v1::CloseCallRequest>(input);
      break;
    case f::kSubmitApplication:
      f::RunSubmitApplication(input);
      break;
    case f::kReviewApplication:
      f::RunApplicationCommand<v1::ReviewApplicationRequest>(input);
      break;
    case f::kRecordCpasOpinion:
      f::RunApplicationCommand<v1::RecordCpasOpinionRequest>(input);
      break;
    case f::kSelectCandidate:
      f::RunApplicationCommand<v1::SelectCandidateRequest>(input);
      break;
    case f::kWaitlistCandidate:
      f::RunApplicationCommand<v1::WaitlistCandidateRequest>(input);
      break;
    case f::kRejectCandidate:
      f::RunApplicationCommand<v1::RejectCandidateRequest>(input);
      break;
    case f::kWithdrawApplication:
      f::RunApplicationCommand<v1::WithdrawApplicationRequest>(input);
      break;
  }
  return 0;
}
