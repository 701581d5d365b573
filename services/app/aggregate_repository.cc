// Non-template part of AggregateRepository: write results and finding a
// command's prior run.
#include "services/app/aggregate_repository.h"

namespace coopcraft::app {

coopcraft::v1::WriteResult WriteResultOf(
    std::string_view stream, const storage::AppendResult& appended) {
  coopcraft::v1::WriteResult result;
  result.set_stream(std::string(stream));
  result.set_stream_revision(appended.next_revision - 1);
  result.set_position(appended.last_position);
  result.set_first_position(appended.first_position);
  return result;
}

absl::StatusOr<std::optional<PriorRun>> FindPriorRun(
    const storage::EventLog& log, std::string_view stream,
    std::string_view request_id) {
  auto first = log.ReadEvent(EventIdForRequest(request_id, 0));
  if (absl::IsNotFound(first.status())) return std::nullopt;
  if (!first.ok()) return first.status();
  if (first->stream() != stream) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id ", std::string(request_id),
                     " was already used for a command on another resource"));
  }
  PriorRun run;
  coopcraft::v1::WriteResult& result = run.result;
  result.set_stream(std::string(stream));
  result.set_first_position(first->position());
  result.set_position(first->position());
  result.set_stream_revision(first->revision());
  // A command's events are appended together, so its later events follow
  // at the next ids; the last one found ends the command.
  for (size_t index = 1;; ++index) {
    auto next = log.ReadEvent(EventIdForRequest(request_id, index));
    if (absl::IsNotFound(next.status())) break;
    if (!next.ok()) return next.status();
    result.set_position(next->position());
    result.set_stream_revision(next->revision());
  }
  run.first = *std::move(first);
  return run;
}

absl::StatusOr<std::optional<coopcraft::v1::WriteResult>> FindPriorResult(
    const storage::EventLog& log, std::string_view stream,
    std::string_view request_id) {
  ASSIGN_OR_RETURN(std::optional<PriorRun> run,
                   FindPriorRun(log, stream, request_id));
  if (!run.has_value()) return std::nullopt;
  return std::move(run->result);
}

}  // namespace coopcraft::app
