// Fuzz target for CohortService requests: decode, Validate, then Decide
// against cohort and call states of a fixed history, folding what is
// accepted with Evolve (see fuzz_harness.h for the input format; the one
// request type makes the selector byte a no-op kept for uniformity).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "services/api/validation/cohort_validation.h"
#include "services/domain/cohort/cohort.h"
#include "services/domain/selection/call.h"
#include "tests/fuzz/fuzz_harness.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::fuzz {
namespace {

namespace v1 = ::coopcraft::v1;
namespace cohort = ::coopcraft::domain::cohort;
namespace selection = ::coopcraft::domain::selection;
namespace story = ::coopcraft::testing;

constexpr char kCallId[] = "call-fuzz";

enum RequestType : uint8_t {
  kRecordGroupMeeting,
  kRequestTypeCount,
};

// The projects of the cohort's meetings.
const std::vector<std::string>& Projects() {
  static const std::vector<std::string>* const projects =
      new std::vector<std::string>{"project-a", "project-b", "project-c"};
  return *projects;
}

struct History {
  std::vector<selection::CallState> calls;
  std::vector<cohort::CohortState> cohorts;
};

// Calls never opened, open and closed; cohorts without and with a meeting,
// built by the real deciders so a refused step fails loudly.
History BuildHistory() {
  const domain::DecisionContext context = FixedContext();
  History history;
  const selection::CallState no_call;
  v1::OpenCallRequest open_call = story::OpenCall(kCallId);
  // A fixed closing day: the story's is relative to the real today.
  *open_call.mutable_closes_on() = story::Day(2026, 12, 31);
  const selection::CallState opened = MustFold(
      no_call, selection::Decide(no_call, open_call, context), "OpenCall");
  const selection::CallState closed = MustFold(
      opened,
      selection::Decide(
          opened, story::CloseCall(kCallId, story::Day(2026, 3, 1)), context),
      "CloseCall");
  history.calls = {no_call, opened, closed};

  const cohort::CohortState none;
  const cohort::CohortState met =
      MustFold(none,
               cohort::Decide(none,
                              story::RecordGroupMeeting(kCallId, "meeting-1",
                                                        story::Day(2026, 3, 9),
                                                        Projects()),
                              opened, context),
               "RecordGroupMeeting");
  history.cohorts = {none, met};
  return history;
}

const History& TheHistory() {
  static const History* const history = new History(BuildHistory());
  return *history;
}

std::vector<std::string> Seeds() {
  v1::RecordGroupMeetingRequest with_absences = story::RecordGroupMeeting(
      kCallId, "meeting-3", story::Day(2026, 3, 23), {"project-a"});
  v1::Absence* absence = with_absences.add_absences();
  absence->set_project_id("project-b");
  absence->set_excused(true);
  with_absences.add_absences()->set_project_id("project-c");
  return {
      Seed(kRecordGroupMeeting,
           story::RecordGroupMeeting(kCallId, "meeting-2",
                                     story::Day(2026, 3, 16), Projects())),
      Seed(kRecordGroupMeeting, with_absences),
      // Same meeting and day as the history's: the duplicate rules.
      Seed(kRecordGroupMeeting,
           story::RecordGroupMeeting(kCallId, "meeting-1",
                                     story::Day(2026, 3, 9), Projects())),
  };
}

void RunRecordGroupMeeting(const Selected& input) {
  v1::RecordGroupMeetingRequest request;
  if (!Decode(input, &request)) return;
  if (!api::Validate(request).ok()) return;
  const domain::DecisionContext context = FixedContext();
  for (const cohort::CohortState& state : TheHistory().cohorts) {
    for (const selection::CallState& call : TheHistory().calls) {
      FoldAll(state,
              CheckDecision(cohort::Decide(state, request, call, context)));
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
  f::Selected input;
  if (!f::Select(data, size, f::kRequestTypeCount, &input)) return 0;
  f::RunRecordGroupMeeting(input);
  return 0;
}
