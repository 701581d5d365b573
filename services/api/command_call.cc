// Shared plumbing of command RPCs.
#include "services/api/command_call.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/domain/date.h"

namespace coopcraft::api {
namespace {

const absl::TimeZone& BrusselsTimeZone() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone();
    // Without tzdata, CET is the right answer for most of the year and the
    // date is wrong at most for one hour around midnight in summer.
    if (!absl::LoadTimeZone("Europe/Brussels", tz)) {
      *tz = absl::FixedTimeZone(3600);
    }
    return tz;
  }();
  return *zone;
}

bool IsOpaqueToken(grpc::string_ref value) {
  if (value.size() == 0 || value.size() > 64) return false;
  for (char c : value) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

coopcraft::v1::Date TodayInBrussels() {
  return domain::FromCivilDay(
      absl::ToCivilDay(absl::Now(), BrusselsTimeZone()));
}

app::CommandContext CommandContextFor(
    grpc::CallbackServerContext* call, const auth::Principal& caller,
    const std::string& request_id,
    const coopcraft::v1::ExpectedRevision& expected, bool has_expected) {
  app::CommandContext context;
  context.request_id = request_id;
  context.expected = app::ExpectedFromProto(expected, has_expected);
  // The token's principal: who did it, as the access trail and auditors
  // need it, never the network address they did it from.
  context.actor = caller.id;
  if (call != nullptr) {
    if (call->deadline() != std::chrono::system_clock::time_point::max()) {
      context.deadline = absl::FromChrono(call->deadline());
    }
    const auto& metadata = call->client_metadata();
    // Accepted only as an opaque token: it is stored in event metadata,
    // which must never carry personal data or unbounded text.
    if (auto it = metadata.find("x-correlation-id");
        it != metadata.end() && IsOpaqueToken(it->second)) {
      context.correlation_id.assign(it->second.data(), it->second.size());
    }
  }
  return context;
}

domain::DecisionContext DecisionContextFor(const app::CommandContext& command) {
  return domain::DecisionContext{.today = TodayInBrussels(),
                                 .actor = command.actor};
}

}  // namespace coopcraft::api
