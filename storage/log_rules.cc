// Implementation-independent rules of EventLog (see log_rules.h).
#include "storage/log_rules.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;

// Strict UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF), the rule protobuf applies when parsing proto3 strings: a
// metadata string it would reject must never reach the log, or the record
// could not be read back.
bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra;
    uint32_t code;
    uint32_t min_code;
    if ((c & 0xe0) == 0xc0) {
      extra = 1, code = c & 0x1f, min_code = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, code = c & 0x0f, min_code = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, code = c & 0x07, min_code = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min_code || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// Protobuf full names: letters, digits, '_' and '.'.
bool IsValidTypeName(absl::string_view type) {
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

absl::Status CheckEvent(size_t index, const NewEvent& event,
                        const EventLogLimits& limits, size_t* bytes) {
  if (event.type.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", index, ": type is empty"));
  }
  if (event.type.size() > limits.max_type_length) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", index, ": type is ", event.type.size(),
        " bytes, over max_type_length (", limits.max_type_length, ")"));
  }
  if (!IsValidTypeName(event.type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", index, ": type has a character outside [A-Za-z0-9_.]"));
  }
  const auto& metadata = event.metadata;
  for (auto [name, value] : {std::pair<absl::string_view, absl::string_view>{
                                 "actor", metadata.actor()},
                             {"correlation_id", metadata.correlation_id()},
                             {"causation_id", metadata.causation_id()}}) {
    if (!IsValidUtf8(value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event ", index, ": metadata.", name, " is not valid UTF-8"));
    }
  }
  size_t size = event.payload.size() + metadata.ByteSizeLong();
  if (size > limits.max_event_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", index, ": payload and metadata are ", size,
        " bytes, over max_event_bytes (", limits.max_event_bytes, ")"));
  }
  *bytes += size;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CheckedAppend> CheckAppend(std::string_view stream,
                                          const std::vector<NewEvent>& events,
                                          const EventLogLimits& limits) {
  RETURN_IF_ERROR(ValidateStreamId(stream, limits));
  if (events.empty()) {
    return absl::InvalidArgumentError("append has no events");
  }
  if (events.size() > limits.max_events_per_append) {
    return absl::InvalidArgumentError(absl::StrCat(
        "append has ", events.size(), " events, over max_events_per_append (",
        limits.max_events_per_append, ")"));
  }
  CheckedAppend checked;
  checked.ids.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    RETURN_IF_ERROR(CheckEvent(i, events[i], limits, &checked.bytes));
    if (events[i].event_id.empty()) {
      ASSIGN_OR_RETURN(EventIdBytes id, GenerateEventId());
      checked.ids.push_back(id);
    } else {
      auto id = ParseEventId(events[i].event_id);
      if (!id.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", i, ": ", id.status().message()));
      }
      checked.ids.push_back(*id);
    }
  }
  if (checked.bytes > limits.max_append_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "append has ", checked.bytes, " bytes of payload and metadata, over ",
        "max_append_bytes (", limits.max_append_bytes, ")"));
  }
  if (checked.ids.size() > 1) {
    absl::flat_hash_set<EventIdBytes> seen;
    seen.reserve(checked.ids.size());
    for (size_t i = 0; i < checked.ids.size(); ++i) {
      if (!seen.insert(checked.ids[i]).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "event ", i, ": event_id ", FormatEventId(checked.ids[i]),
            " appears twice in one append"));
      }
    }
  }
  return checked;
}

absl::StatusOr<std::optional<AppendResult>> ResolveRetry(
    std::string_view stream, const std::vector<EventIdBytes>& ids,
    const std::vector<std::optional<StoredEvent>>& stored) {
  size_t stored_count =
      std::count_if(stored.begin(), stored.end(),
                    [](const auto& s) { return s.has_value(); });
  if (stored_count == 0) return std::nullopt;
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!stored[i].has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "some event ids of this append are already stored and event ", i,
          " (", FormatEventId(ids[i]),
          ") is not: a retry must repeat the original append exactly"));
    }
    if (stored[i]->stream != stream) {
      return absl::AlreadyExistsError(
          absl::StrCat("event_id ", FormatEventId(ids[i]),
                       " is already stored in stream ", stored[i]->stream));
    }
    if (i > 0 && (stored[i]->position != stored[i - 1]->position + 1 ||
                  stored[i]->revision != stored[i - 1]->revision + 1)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "event ids of this append are stored, but not as one run in this "
          "order (event ",
          i, ", ", FormatEventId(ids[i]), ")"));
    }
  }
  return AppendResult{.first_position = stored.front()->position,
                      .last_position = stored.back()->position,
                      .next_revision = stored.back()->revision + 1,
                      .deduplicated = true};
}

absl::Status CheckExpectedRevision(std::string_view stream,
                                   const ExpectedRevision& expected,
                                   std::optional<uint64_t> current) {
  std::string wanted;
  switch (expected.kind()) {
    case ExpectedRevision::Kind::kAny:
      return absl::OkStatus();
    case ExpectedRevision::Kind::kNoStream:
      if (!current.has_value()) return absl::OkStatus();
      wanted = "no stream";
      break;
    case ExpectedRevision::Kind::kStreamExists:
      if (current.has_value()) return absl::OkStatus();
      wanted = "an existing stream";
      break;
    case ExpectedRevision::Kind::kExact:
      if (current == expected.revision()) return absl::OkStatus();
      wanted = absl::StrCat("revision ", expected.revision());
      break;
  }
  absl::Status status = absl::AbortedError(
      absl::StrCat("stream ", ToAbsl(stream), " is ",
                   current.has_value() ? absl::StrCat("at revision ", *current)
                                       : std::string("empty"),
                   ", expected ", wanted));
  status.SetPayload(ToAbsl(kCurrentRevisionPayloadUrl),
                    absl::Cord(current.has_value() ? absl::StrCat(*current)
                                                   : std::string("none")));
  return status;
}

EventRecord MakeRecord(uint64_t position, std::string_view stream,
                       uint64_t revision, const EventIdBytes& id,
                       NewEvent&& event, int64_t recorded_at_micros) {
  EventRecord record;
  record.set_position(position);
  record.set_stream(stream.data(), stream.size());
  record.set_revision(revision);
  record.set_event_id(FormatEventId(id));
  record.set_type(std::move(event.type));
  record.set_recorded_at_micros(recorded_at_micros);
  record.set_payload(std::move(event.payload));
  *record.mutable_metadata() = std::move(event.metadata);
  return record;
}

absl::Status CheckReadAllOptions(const ReadAllOptions& options) {
  if (options.from_position == 0) {
    return absl::InvalidArgumentError(
        "from_position is 0; positions start at 1");
  }
  if (options.max_count == 0) {
    return absl::InvalidArgumentError("max_count is 0");
  }
  if (options.max_scan == 0) {
    return absl::InvalidArgumentError("max_scan is 0");
  }
  return absl::OkStatus();
}

bool MatchesReadAllFilter(const EventRecord& record,
                          const ReadAllOptions& options) {
  if (!absl::StartsWith(record.stream(), options.stream_prefix)) return false;
  if (options.event_types.empty()) return true;
  return std::find(options.event_types.begin(), options.event_types.end(),
                   record.type()) != options.event_types.end();
}

absl::Status CheckReadStream(std::string_view stream, size_t max_count,
                             const EventLogLimits& limits) {
  RETURN_IF_ERROR(ValidateStreamId(stream, limits));
  if (max_count == 0) return absl::InvalidArgumentError("max_count is 0");
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> VerifyRangeEnd(uint64_t from, uint64_t to,
                                        uint64_t head) {
  if (from == 0) {
    return absl::InvalidArgumentError("from is 0; positions start at 1");
  }
  return std::min(to, head);
}

}  // namespace coopcraft::storage
