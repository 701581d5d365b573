// EventStreamService: validation, opaque page tokens, and the mapping of
// log reads to RecordedEvents. Subscriptions live in subscription.cc.
#include "services/api/event_stream_service.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/method_names.h"
#include "services/api/recorded_event.h"
#include "services/api/status_mapping.h"
#include "services/api/stream_refusal.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

using ::coopcraft::v1::ReadDirection;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Events scanned per ReadAll page, so a sparse filter answers promptly.
constexpr size_t kReadAllMaxScan = 10000;

// Tokens are web-safe base64 of "kind|field|...": opaque to clients, checked
// against the request they continue.
std::string EncodeToken(const std::string& plain) {
  std::string token;
  absl::WebSafeBase64Escape(plain, &token);
  return token;
}

std::vector<std::string> DecodeToken(const std::string& token) {
  std::string plain;
  if (!absl::WebSafeBase64Unescape(token, &plain)) return {};
  return absl::StrSplit(plain, '|');
}

void CheckPageSize(int page_size, FieldErrors* errors) {
  errors->RequireRange("page_size", page_size, 0, kMaxPageSize);
}

size_t PageSize(int page_size) {
  return static_cast<size_t>(page_size == 0 ? kDefaultPageSize : page_size);
}

// True when `events` weigh kMaxEventBytesPerMessage or more: a page the log
// ended there may have more behind it.
bool ReachesMessageBytes(
    const std::vector<coopcraft::v1::EventRecord>& events) {
  size_t bytes = 0;
  for (const coopcraft::v1::EventRecord& event : events) {
    bytes += event.ByteSizeLong();
  }
  return bytes >= kMaxEventBytesPerMessage;
}

void CheckFilter(const coopcraft::v1::EventFilter& filter,
                 FieldErrors* errors) {
  if (filter.stream_prefix().size() > 128) {
    errors->Add("filter.stream_prefix", "longer than a stream id (128)");
  } else if (!filter.stream_prefix().empty()) {
    // A prefix no stream id can start with would match nothing, and the
    // client would take "no events" for an answer; the stream id's own
    // check says where the bad character is.
    if (absl::Status id = storage::ValidateStreamId(filter.stream_prefix(), {});
        !id.ok()) {
      errors->Add("filter.stream_prefix", std::string(id.message()));
    }
  }
  for (int i = 0; i < filter.event_types_size(); ++i) {
    if (filter.event_types(i).empty() || filter.event_types(i).size() > 256) {
      errors->Add(absl::StrCat("filter.event_types[", i, "]"),
                  "must be 1 to 256 characters");
    }
  }
}

}  // namespace

EventStreamService::EventStreamService(const auth::Guard* guard,
                                       storage::EventLog* log,
                                       const PersonalDataParts& personal,
                                       const SubscriptionOptions& subscriptions)
    : guard_(guard),
      log_(log),
      trail_(personal.trail),
      personal_data_(personal.sealer, personal.pseudonymizer),
      hub_(guard, log, subscriptions, &personal_data_, personal.trail) {}

absl::Status EventStreamService::Serve(
    const std::vector<coopcraft::v1::EventRecord>& records,
    const auth::Principal& caller, absl::string_view method,
    google::protobuf::RepeatedPtrField<coopcraft::v1::RecordedEvent>* events)
    const {
  const bool may_see = auth::MaySeePersonalData(caller.role);
  ServedPersonalData served;
  for (const auto& record : records) {
    coopcraft::v1::RecordedEvent* event = events->Add();
    ToRecordedEvent(record, event);
    if (auto person = personal_data_.Apply(may_see, event)) {
      served.Add(*person, event->position());
    }
  }
  return served.RecordTo(trail_, caller, method);
}

grpc::ServerUnaryReactor* EventStreamService::ReadStream(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::ReadStreamRequest* request,
    coopcraft::v1::ReadStreamResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller =
      guard_->Admit(*context, COOPCRAFT_METHOD(EventStreamService, ReadStream));
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  FieldErrors errors;
  if (absl::Status id = storage::ValidateStreamId(request->stream(), {});
      !id.ok()) {
    errors.Add("stream", std::string(id.message()));
  }
  const bool forwards =
      request->direction() == ReadDirection::READ_DIRECTION_FORWARDS;
  errors.RequireEnum("direction", request->direction(),
                     coopcraft::v1::ReadDirection_descriptor());
  CheckPageSize(request->page_size(), &errors);
  uint64_t from = forwards ? 0 : storage::EventLog::kEndOfStream;
  if (request->has_from_revision()) from = request->from_revision();
  if (!request->page_token().empty()) {
    // A token only continues the stream and direction it was made for.
    std::vector<std::string> parts = DecodeToken(request->page_token());
    if (parts.size() != 4 || parts[0] != "rs1" ||
        parts[1] != (forwards ? "f" : "b") || parts[3] != request->stream() ||
        !absl::SimpleAtoi(parts[2], &from)) {
      errors.Add("page_token",
                 "not a token of this stream and direction; pass "
                 "next_page_token unchanged");
    }
  }
  if (!errors.empty()) {
    reactor->Finish(ToGrpcStatus(errors.ToStatus()));
    return reactor;
  }
  read_pool_.Schedule([this, reactor, request, response, forwards, from,
                       caller = *caller] {
    const size_t page = PageSize(request->page_size());
    // The log ends the page where its events reach the message bound.
    auto events = log_->ReadStream(request->stream(), from,
                                   forwards ? storage::Direction::kForwards
                                            : storage::Direction::kBackwards,
                                   page, kMaxEventBytesPerMessage);
    if (!events.ok()) {
      reactor->Finish(ToGrpcStatus(events.status()));
      return;
    }
    // A page cut there is short; the token resumes after its last event.
    const bool cut = events->size() < page && ReachesMessageBytes(*events);
    if (absl::Status served = Serve(
            *events, caller, COOPCRAFT_METHOD(EventStreamService, ReadStream),
            response->mutable_events());
        !served.ok()) {
      response->Clear();
      reactor->Finish(ToGrpcStatus(served));
      return;
    }
    // A full or cut page may have more behind it; backwards ends at
    // revision 0.
    if (events->size() == page || cut) {
      const uint64_t last = events->back().revision();
      if (forwards || last > 0) {
        response->set_next_page_token(EncodeToken(absl::StrCat(
            "rs1|", forwards ? "f" : "b", "|", forwards ? last + 1 : last - 1,
            "|", request->stream())));
      }
    }
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* EventStreamService::ReadAll(
    grpc::CallbackServerContext* context,
    const coopcraft::v1::ReadAllRequest* request,
    coopcraft::v1::ReadAllResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller =
      guard_->Admit(*context, COOPCRAFT_METHOD(EventStreamService, ReadAll));
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  FieldErrors errors;
  CheckPageSize(request->page_size(), &errors);
  CheckFilter(request->filter(), &errors);
  storage::ReadAllOptions options;
  options.from_position = std::max<uint64_t>(1, request->from_position());
  if (!request->page_token().empty()) {
    std::vector<std::string> parts = DecodeToken(request->page_token());
    if (parts.size() != 2 || parts[0] != "ra1" ||
        !absl::SimpleAtoi(parts[1], &options.from_position) ||
        options.from_position == 0) {
      errors.Add("page_token",
                 "not a ReadAll token; pass next_page_token "
                 "unchanged");
    }
  }
  if (!errors.empty()) {
    reactor->Finish(ToGrpcStatus(errors.ToStatus()));
    return reactor;
  }
  options.max_count = PageSize(request->page_size());
  options.max_scan = kReadAllMaxScan;
  options.max_bytes = kMaxEventBytesPerMessage;
  options.stream_prefix = request->filter().stream_prefix();
  options.event_types.assign(request->filter().event_types().begin(),
                             request->filter().event_types().end());
  read_pool_.Schedule([this, reactor, response, options, caller = *caller] {
    auto result = log_->ReadAll(options);
    if (!result.ok()) {
      reactor->Finish(ToGrpcStatus(result.status()));
      return;
    }
    if (absl::Status served =
            Serve(result->events, caller,
                  COOPCRAFT_METHOD(EventStreamService, ReadAll),
                  response->mutable_events());
        !served.ok()) {
      response->Clear();
      reactor->Finish(ToGrpcStatus(served));
      return;
    }
    response->set_next_position(result->next_position);
    if (result->next_position <= log_->HeadPosition()) {
      response->set_next_page_token(
          EncodeToken(absl::StrCat("ra1|", result->next_position)));
    }
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* EventStreamService::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request) {
  auto caller =
      guard_->Admit(*context, COOPCRAFT_METHOD(EventStreamService, Subscribe));
  if (!caller.ok()) {
    return new StreamRefusal<grpc::ByteBuffer>(ToGrpcStatus(caller.status()));
  }
  coopcraft::v1::SubscribeRequest request;
  // Deserialize consumes its buffer; the copy shares the request's bytes.
  grpc::ByteBuffer bytes(*raw_request);
  if (!grpc::SerializationTraits<coopcraft::v1::SubscribeRequest>::Deserialize(
           &bytes, &request)
           .ok()) {
    return new StreamRefusal<grpc::ByteBuffer>(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     "request: not a coopcraft.v1.SubscribeRequest"));
  }
  using coopcraft::v1::SubscribeRequest;
  FieldErrors errors;
  switch (request.start_case()) {
    case SubscribeRequest::START_NOT_SET:
      errors.Add("start", "set one of from_position, from_start or from_end",
                 "REQUIRED");
      break;
    case SubscribeRequest::kFromPosition:
      if (request.from_position() == 0) {
        errors.Add("from_position", "positions start at 1");
      }
      break;
    // A flag sent as false asks for nothing; reading it as true would
    // start the subscription somewhere the client did not ask for.
    case SubscribeRequest::kFromStart:
      if (!request.from_start()) {
        errors.Add("from_start", "must be true when set");
      }
      break;
    case SubscribeRequest::kFromEnd:
      if (!request.from_end()) errors.Add("from_end", "must be true when set");
      break;
  }
  CheckFilter(request.filter(), &errors);
  if (!errors.empty()) {
    return new StreamRefusal<grpc::ByteBuffer>(ToGrpcStatus(errors.ToStatus()));
  }
  // Positions past head + 1 were never written nor announced: the client
  // holds a wrong one (from another log, or a restored older copy), and a
  // subscription there would silently skip what comes before it.
  if (const uint64_t head = log_->HeadPosition();
      request.start_case() == SubscribeRequest::kFromPosition &&
      request.from_position() > head + 1) {
    return new StreamRefusal<grpc::ByteBuffer>(
        ToGrpcStatus(absl::OutOfRangeError(
            absl::StrCat("from_position: ", request.from_position(),
                         " is beyond the log's head ", head,
                         "; use from_end to wait for new events"))));
  }
  return hub_.Start(context, request, *caller);
}

}  // namespace coopcraft::api
