// Collects every bad field of one request so the caller learns all of them
// at once, as INVALID_ARGUMENT with a google.rpc.BadRequest payload.
#ifndef COOPCRAFT_SERVICES_API_VALIDATION_FIELD_ERRORS_H_
#define COOPCRAFT_SERVICES_API_VALIDATION_FIELD_ERRORS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/common.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"

namespace coopcraft::api {

// Payload key under which ToStatus() stores the serialized BadRequest; the
// gRPC edge copies it into google.rpc.Status details.
inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";

// Length limits shared by every request.
inline constexpr size_t kMaxIdLength = 63;
inline constexpr size_t kMaxShortText = 200;   // names, titles, labels
inline constexpr size_t kMaxLongText = 10000;  // comments, pitches, feedback

class FieldErrors {
 public:
  // Records that `field` (a path such as "dossier.revenue_to_date") is bad.
  // `reason` is a stable UPPER_SNAKE_CASE code.
  void Add(std::string_view field, std::string_view description,
           std::string_view reason = "INVALID_VALUE");

  bool empty() const { return bad_request_.field_violations_size() == 0; }
  const google::rpc::BadRequest& bad_request() const { return bad_request_; }

  // OK when no field was added; otherwise INVALID_ARGUMENT whose message
  // lists "field: description" for each and whose payload is the BadRequest.
  absl::Status ToStatus() const;

  // Common checks. Each adds at most one violation for its field.

  // request_id: required UUID text (AIP-155), makes retries safe.
  void RequireRequestId(std::string_view value);
  // What every command carries: its request_id, and an expected_revision
  // that, when present, expects something.
  template <typename Command>
  void RequireCommandHeader(const Command& command) {
    RequireRequestId(command.request_id());
    if (command.has_expected_revision()) {
      CheckExpectedRevision(command.expected_revision());
    }
  }
  // A present expected_revision: one condition set, and a flag set true. A
  // client that sent one meant to guard its write; reading an empty one as
  // "any revision" would silently drop that guard.
  void CheckExpectedRevision(const coopcraft::v1::ExpectedRevision& expected);
  // An opaque resource id: 1-63 chars of [a-z0-9-], starting with a letter
  // or digit (UUIDs in lower case qualify). Ids end up in stream names.
  void RequireId(std::string_view field, std::string_view value);
  // Non-empty UTF-8 text, at most `max_length` bytes, no control characters
  // other than newline and tab.
  void RequireText(std::string_view field, std::string_view value,
                   size_t max_length);
  // Like RequireText but empty is allowed.
  void OptionalText(std::string_view field, std::string_view value,
                    size_t max_length);
  // A set, real calendar date.
  void RequireDate(std::string_view field, bool has_value,
                   const coopcraft::v1::Date& value);
  // An enum value that is known to `descriptor` and not the zero
  // (UNSPECIFIED) value.
  void RequireEnum(std::string_view field, int value,
                   const google::protobuf::EnumDescriptor* descriptor);
  // An optional absolute URL (http or https).
  void OptionalUrl(std::string_view field, std::string_view value);
  // An optional e-mail address (one '@', a dot in the domain, no spaces).
  void OptionalEmail(std::string_view field, std::string_view value);
  // A repeated field with between `min` and `max` entries.
  void RequireCount(std::string_view field, int count, int min, int max);
  // 0 <= value <= max.
  void RequireRange(std::string_view field, int64_t value, int64_t min,
                    int64_t max);

 private:
  google::rpc::BadRequest bad_request_;
};

// Field paths as BadRequest names them: Indexed("rubric", 2) is
// "rubric[2]", Path("applicant", "email") is "applicant.email".
// They take absl::string_view, which Debian's Abseil keeps distinct from
// std::string_view, because their results feed absl::StrCat.
std::string Indexed(absl::string_view field, int index);
std::string Path(absl::string_view parent, absl::string_view field);

// The BadRequest carried by a status built by FieldErrors, if any.
bool BadRequestOf(const absl::Status& status, google::rpc::BadRequest* out);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_VALIDATION_FIELD_ERRORS_H_
