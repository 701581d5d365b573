// Field-level request validation shared by every service.
#include "services/api/validation/field_errors.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/base/string_view.h"
#include "services/domain/date.h"

namespace coopcraft::api {
namespace {

bool IsHex(char c) {
  return absl::ascii_isxdigit(static_cast<unsigned char>(c));
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!IsHex(s[i])) {
      return false;
    }
  }
  return true;
}

// Returns an explanation when `s` is not valid UTF-8 or holds control
// characters we refuse, else empty.
std::string TextProblem(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
        return "contains a control character";
      }
    } else if ((c & 0xe0) == 0xc0 && c >= 0xc2) {
      extra = 1;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
    } else if ((c & 0xf8) == 0xf0 && c <= 0xf4) {
      extra = 3;
    } else {
      return "is not valid UTF-8";
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + k >= s.size() ||
          (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) {
        return "is not valid UTF-8";
      }
    }
    i += 1 + extra;
  }
  return "";
}

}  // namespace

void FieldErrors::Add(std::string_view field, std::string_view description,
                      std::string_view reason) {
  auto* violation = bad_request_.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  violation->set_reason(std::string(reason));
}

absl::Status FieldErrors::ToStatus() const {
  if (empty()) return absl::OkStatus();
  std::string message = absl::StrJoin(
      bad_request_.field_violations(), "; ",
      [](std::string* out, const google::rpc::BadRequest::FieldViolation& v) {
        absl::StrAppend(out, v.field(), ": ", v.description());
      });
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request_.SerializeAsString()));
  return status;
}

void FieldErrors::RequireRequestId(std::string_view value) {
  if (value.empty()) {
    Add("request_id", "is required (a UUID that makes retries safe)",
        "REQUIRED");
  } else if (!IsUuid(value)) {
    Add("request_id",
        "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000",
        "INVALID_FORMAT");
  }
}

void FieldErrors::CheckExpectedRevision(
    const coopcraft::v1::ExpectedRevision& expected) {
  using coopcraft::v1::ExpectedRevision;
  switch (expected.condition_case()) {
    case ExpectedRevision::CONDITION_NOT_SET:
      Add("expected_revision",
          "must set no_stream, stream_exists or exact; leave it out to "
          "accept any revision",
          "REQUIRED");
      break;
    case ExpectedRevision::kNoStream:
      if (!expected.no_stream()) {
        Add("expected_revision.no_stream", "must be true when set");
      }
      break;
    case ExpectedRevision::kStreamExists:
      if (!expected.stream_exists()) {
        Add("expected_revision.stream_exists", "must be true when set");
      }
      break;
    case ExpectedRevision::kExact:
      break;
  }
}

void FieldErrors::RequireId(std::string_view field, std::string_view value) {
  if (value.empty()) {
    Add(field, "is required", "REQUIRED");
    return;
  }
  bool ok = value.size() <= kMaxIdLength &&
            (absl::ascii_islower(value[0]) || absl::ascii_isdigit(value[0]));
  for (char c : value) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      ok = false;
    }
  }
  if (!ok) {
    Add(field,
        absl::StrFormat("must be 1-%d characters of a-z, 0-9 and '-', "
                        "starting with a letter or digit",
                        kMaxIdLength),
        "INVALID_FORMAT");
  }
}

void FieldErrors::RequireText(std::string_view field, std::string_view value,
                              size_t max_length) {
  if (absl::StripAsciiWhitespace(ToAbsl(value)).empty()) {
    Add(field, "is required and must not be blank", "REQUIRED");
    return;
  }
  OptionalText(field, value, max_length);
}

void FieldErrors::OptionalText(std::string_view field, std::string_view value,
                               size_t max_length) {
  if (value.size() > max_length) {
    Add(field,
        absl::StrFormat("is %d bytes long; at most %d are allowed",
                        value.size(), max_length),
        "TOO_LONG");
    return;
  }
  if (std::string problem = TextProblem(value); !problem.empty()) {
    Add(field, problem, "INVALID_TEXT");
  }
}

void FieldErrors::RequireDate(std::string_view field, bool has_value,
                              const coopcraft::v1::Date& value) {
  if (!has_value) {
    Add(field, "is required", "REQUIRED");
  } else if (!domain::IsValidDate(value)) {
    Add(field,
        absl::StrFormat("%04d-%02d-%02d is not a real date between 1900 and "
                        "9999",
                        value.year(), value.month(), value.day()),
        "INVALID_DATE");
  }
}

void FieldErrors::RequireEnum(
    std::string_view field, int value,
    const google::protobuf::EnumDescriptor* descriptor) {
  if (value == 0) {
    Add(field, "is required", "REQUIRED");
  } else if (descriptor->FindValueByNumber(value) == nullptr) {
    Add(field, absl::StrCat(value, " is not a known ", descriptor->name()),
        "UNKNOWN_ENUM_VALUE");
  }
}

void FieldErrors::OptionalUrl(std::string_view field, std::string_view value) {
  if (value.empty()) return;
  const bool scheme_ok =
      value.starts_with("https://") || value.starts_with("http://");
  const bool has_host = scheme_ok && value.size() > value.find("//") + 2 &&
                        value.find(' ') == std::string_view::npos;
  if (!has_host || value.size() > 2048) {
    Add(field, "must be an http(s) URL of at most 2048 characters",
        "INVALID_URL");
  }
}

void FieldErrors::OptionalEmail(std::string_view field,
                                std::string_view value) {
  if (value.empty()) return;
  const size_t at = value.find('@');
  const bool ok = value.size() <= 254 && at != std::string_view::npos &&
                  at > 0 && value.find('@', at + 1) == std::string_view::npos &&
                  value.find('.', at) != std::string_view::npos &&
                  value.back() != '.' &&
                  value.find(' ') == std::string_view::npos;
  if (!ok) Add(field, "is not an e-mail address", "INVALID_EMAIL");
}

void FieldErrors::RequireRange(std::string_view field, int64_t value,
                               int64_t min, int64_t max) {
  if (value < min || value > max) {
    Add(field, absl::StrFormat("must be between %d and %d", min, max),
        "OUT_OF_RANGE");
  }
}

void FieldErrors::RequireCount(std::string_view field, int count, int min,
                               int max) {
  if (count < min) {
    Add(field, absl::StrFormat("needs at least %d entries", min), "REQUIRED");
  } else if (count > max) {
    Add(field, absl::StrFormat("allows at most %d entries", max), "TOO_MANY");
  }
}

std::string Indexed(absl::string_view field, int index) {
  return absl::StrCat(field, "[", index, "]");
}

std::string Path(absl::string_view parent, absl::string_view field) {
  return absl::StrCat(parent, ".", field);
}

bool BadRequestOf(const absl::Status& status, google::rpc::BadRequest* out) {
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

}  // namespace coopcraft::api
