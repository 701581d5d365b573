// Shared plumbing of the request fuzz targets: how an input picks and
// decodes a request, the fixed decision context, the invariants every
// decider must keep, and writing the seed corpus.
//
// An input is one selector byte followed by a serialized request: the byte
// (modulo the number of request types of the target) names the request
// type, so one mutated byte moves an input to another request type, and the
// rest is the request in protobuf wire format, as the gRPC layer gets it.
#ifndef COOPCRAFT_TESTS_FUZZ_FUZZ_HARNESS_H_
#define COOPCRAFT_TESTS_FUZZ_FUZZ_HARNESS_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/stubs/logging.h"
#include "services/domain/decision.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::fuzz {

// A fixed "today" after every date of the programme_requests.h story, so
// the story's requests are accepted and a run does not depend on the clock.
inline domain::DecisionContext FixedContext() {
  domain::DecisionContext context;
  context.today = testing::Day(2026, 11, 16);
  context.actor = "fuzz-actor";
  return context;
}

// Story requests carry a random request_id; seeds get a fixed one so the
// corpus is the same on every build.
inline constexpr char kSeedRequestId[] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

// Stops the process in a way libFuzzer reports as a crash, with a line on
// stderr saying which promise broke.
[[noreturn]] inline void Violated(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  __builtin_trap();
}

// Checks the promises every decider makes about a request that passed
// validation, and returns the events (empty when refused).
// - Accepting without an event is what AggregateRepository::Execute turns
//   into INTERNAL, so it is a decider bug.
// - INVALID_ARGUMENT from a decider is its defence in depth against fields
//   validation should have refused (project_decider.h): reaching it with a
//   validated request means validation has a gap.
template <typename Event>
std::vector<Event> CheckDecision(absl::StatusOr<std::vector<Event>> decided) {
  if (!decided.ok()) {
    if (decided.status().code() == absl::StatusCode::kInvalidArgument) {
      std::fprintf(stderr, "decider: %s\n",
                   decided.status().ToString().c_str());
      Violated("decider refused a validated request as INVALID_ARGUMENT");
    }
    if (decided.status().code() != absl::StatusCode::kFailedPrecondition &&
        decided.status().code() != absl::StatusCode::kNotFound) {
      std::fprintf(stderr, "decider: %s\n",
                   decided.status().ToString().c_str());
      Violated("decider returned a code other than the documented ones");
    }
    return {};
  }
  if (decided->empty()) Violated("decider accepted without an event");
  return *std::move(decided);
}

// Folds `events` into a copy of `state`, as the repository does after an
// append, so Evolve sees every event a decider can produce. Evolve is found
// by argument-dependent lookup in the state's domain namespace.
template <typename State, typename Event>
State FoldAll(State state, const std::vector<Event>& events) {
  for (const Event& event : events) state = Evolve(std::move(state), event);
  return state;
}

// Splits an input into the request type index and the message bytes.
struct Selected {
  size_t type = 0;
  const uint8_t* data = nullptr;
  size_t size = 0;
};
inline bool Select(const uint8_t* data, size_t size, size_t type_count,
                   Selected* out) {
  if (size == 0) return false;
  out->type = data[0] % type_count;
  out->data = data + 1;
  out->size = size - 1;
  return true;
}

// Parses the message bytes into `request`; false when they are not a valid
// encoding, which the server would have refused before any of our code.
template <typename Request>
bool Decode(const Selected& input, Request* request) {
  if (input.size > static_cast<size_t>(INT32_MAX)) return false;
  return request->ParseFromArray(input.data, static_cast<int>(input.size));
}

// One seed: the selector byte, then the serialized request with the fixed
// request_id.
template <typename Request>
std::string Seed(uint8_t type, Request request) {
  request.set_request_id(kSeedRequestId);
  std::string bytes(1, static_cast<char>(type));
  bytes += request.SerializeAsString();
  return bytes;
}

// Most mutated inputs are rejected by the parser, which logs each (e.g.
// invalid UTF-8 in a string field) to stderr: noise that slows the fuzzer
// and buries a real report. Dropped inputs are expected here.
inline void SilenceProtobufLogs() { google::protobuf::SetLogHandler(nullptr); }

// When the process was started as `<target> --write-seeds=<dir>`, writes
// `seeds` there as seed-<n> and exits; otherwise returns. libFuzzer ignores
// flags that start with "--", so the same binary writes its own corpus at
// build time and the seeds always match the current protos.
inline void MaybeWriteSeeds(int argc, char** argv,
                            const std::vector<std::string>& seeds) {
  constexpr std::string_view kFlag = "--write-seeds=";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (arg.substr(0, kFlag.size()) != kFlag) continue;
    const std::string dir(arg.substr(kFlag.size()));
    for (size_t n = 0; n < seeds.size(); ++n) {
      const std::string path = dir + "/seed-" + std::to_string(n);
      std::FILE* file = std::fopen(path.c_str(), "wb");
      if (file == nullptr ||
          std::fwrite(seeds[n].data(), 1, seeds[n].size(), file) !=
              seeds[n].size() ||
          std::fclose(file) != 0) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(1);
      }
    }
    std::fprintf(stderr, "wrote %zu seeds to %s\n", seeds.size(), dir.c_str());
    std::exit(0);
  }
}

// The state after folding the events `decided` produced; traps when a step
// of a fixed history is refused, since the history is supposed to be valid
// and a silent refusal would leave the fuzzer exercising less than it
// claims.
template <typename State, typename Event>
State MustFold(State state, absl::StatusOr<std::vector<Event>> decided,
               const char* step) {
  if (!decided.ok() || decided->empty()) {
    std::fprintf(stderr, "fixed history step %s refused: %s\n", step,
                 decided.status().ToString().c_str());
    std::abort();
  }
  return FoldAll(std::move(state), *decided);
}

}  // namespace coopcraft::fuzz

#endif  // COOPCRAFT_TESTS_FUZZ_FUZZ_HARNESS_H_
