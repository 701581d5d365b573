// The free functions of storage/event_log.h.
#include "storage/event_log.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/log_rules.h"

namespace coopcraft::storage {

std::optional<uint64_t> CurrentRevisionOf(const absl::Status& status) {
  if (!absl::IsAborted(status)) return std::nullopt;
  absl::optional<absl::Cord> payload =
      status.GetPayload(ToAbsl(kCurrentRevisionPayloadUrl));
  if (!payload.has_value()) return std::nullopt;
  uint64_t revision = 0;
  if (!absl::SimpleAtoi(std::string(*payload), &revision)) return std::nullopt;
  return revision;
}

bool IsRevisionConflict(const absl::Status& status) {
  return absl::IsAborted(status) &&
         status.GetPayload(ToAbsl(kCurrentRevisionPayloadUrl)).has_value();
}

void EventLog::AppendAsync(std::string stream, ExpectedRevision expected,
                           std::vector<NewEvent> events, AppendDone done) {
  std::move(done)(Append(stream, expected, std::move(events)));
}

absl::StatusOr<uint64_t> EventLog::ScanAll(
    const ReadAllOptions& options,
    absl::FunctionRef<absl::Status(const coopcraft::v1::EventRecord&)> visit)
    const {
  absl::StatusOr<ReadAllResult> page = ReadAll(options);
  if (!page.ok()) return page.status();
  for (const coopcraft::v1::EventRecord& record : page->events) {
    if (absl::Status status = visit(record); !status.ok()) return status;
  }
  return page->next_position;
}

absl::Status ValidateStreamId(std::string_view stream,
                              const EventLogLimits& limits) {
  if (stream.empty()) {
    return absl::InvalidArgumentError("stream id is empty");
  }
  if (stream.size() > limits.max_stream_id_length) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream id is ", stream.size(), " bytes, over max_stream_id_length (",
        limits.max_stream_id_length, ")"));
  }
  for (size_t i = 0; i < stream.size(); ++i) {
    char c = stream[i];
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
                   c == '-';
    if (!allowed) {
      // The offset, not the text: a bad id may hold control characters.
      return absl::InvalidArgumentError(
          absl::StrCat("stream id has a character outside [A-Za-z0-9._:-] "
                       "at offset ",
                       i));
    }
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::storage
