// Type-erased requests and field breakage by path, through proto reflection.
#include "tests/integration/programme/broken_requests.h"

#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"

namespace coopcraft::testing {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;

// The field a path ends at: its message, descriptor and repeated index (-1
// when singular).
struct FieldAt {
  Message* message = nullptr;
  const FieldDescriptor* field = nullptr;
  int index = -1;
};

// "name[3]" -> ("name", 3); "name" -> ("name", -1).
std::pair<std::string, int> ParseSegment(absl::string_view segment) {
  const size_t bracket = segment.find('[');
  if (bracket == absl::string_view::npos) return {std::string(segment), -1};
  int index = -1;
  const absl::string_view digits =
      absl::StripSuffix(segment.substr(bracket + 1), "]");
  if (!absl::SimpleAtoi(digits, &index)) index = -1;
  return {std::string(segment.substr(0, bracket)), index};
}

// Walks `path`, creating intermediate messages; aborts the test binary on
// a typo, since a table that breaks nothing would prove nothing.
FieldAt Resolve(Message& root, const std::string& path) {
  FieldAt at{.message = &root};
  const std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    auto [name, index] = ParseSegment(segments[i]);
    const FieldDescriptor* field =
        at.message->GetDescriptor()->FindFieldByName(name);
    if (field == nullptr || field->is_repeated() != (index >= 0) ||
        (index >= 0 &&
         index >= at.message->GetReflection()->FieldSize(*at.message, field))) {
      ADD_FAILURE() << "no field " << path << " in "
                    << root.GetDescriptor()->full_name();
      std::abort();
    }
    if (i + 1 == segments.size()) return {at.message, field, index};
    at.message =
        index >= 0
            ? at.message->GetReflection()->MutableRepeatedMessage(at.message,
                                                                  field, index)
            : at.message->GetReflection()->MutableMessage(at.message, field);
  }
  return at;
}

bool HasFieldWhere(const Descriptor& message,
                   const std::function<bool(const FieldDescriptor&)>& match,
                   std::set<const Descriptor*>& seen) {
  if (!seen.insert(&message).second) return false;
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    if (match(field)) return true;
    if (field.message_type() != nullptr &&
        HasFieldWhere(*field.message_type(), match, seen)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string RpcOf(const Descriptor& request) {
  return std::string(absl::StripSuffix(request.name(), "Request"));
}

std::vector<Command> EveryCommand(const std::string& call_id,
                                  const std::string& application_id,
                                  const std::string& project_id) {
  const std::string& a = application_id;
  const std::string& p = project_id;
  const v1::Date day = Day(2026, 5, 4);
  return {
      Of(OpenCall(call_id)),
      Of(CloseCall(call_id, Day(2026, 2, 27))),
      Of(SubmitApplication(a, call_id)),
      Of(ReviewApplication(a, "reviewer-1")),
      Of(RecordCpasOpinion(a, v1::CPAS_OPINION_UNFAVOURABLE)),
      Of(SelectCandidate(a)),
      Of(WaitlistCandidate(a, 1)),
      Of(RejectCandidate(a)),
      Of(WithdrawApplication(a)),
      Of(OpenProject(p)),
      Of(RecordWorkedDays(p, Day(2026, 4, 1), Day(2026, 4, 30), 20)),
      Of(DraftDeliverable(p, v1::DELIVERABLE_KIND_SWOT)),
      Of(SubmitDeliverable(p, v1::DELIVERABLE_KIND_SWOT)),
      Of(RequestDeliverableChanges(p, v1::DELIVERABLE_KIND_SWOT)),
      Of(ValidateDeliverable(p, v1::DELIVERABLE_KIND_SWOT)),
      Of(AssignMentor(p, "mentor-1", day)),
      Of(ScheduleMentorMeeting(p, "mm-1", DaysFromToday(7))),
      Of(RecordMentorMeeting(p, "mm-1", day)),
      Of(RecordInterview(p, day)),
      Of(LogAction(p, "action-1")),
      Of(PlanMilestone(p, "ms-1", day, Day(2026, 6, 30))),
      Of(MoveMilestone(p, "ms-1", day, Day(2026, 7, 31))),
      Of(CompleteMilestone(p, "ms-1", day)),
      Of(RequestResource(p, "rr-1")),
      Of(DecideResourceRequest(p, "rr-1", v1::RESOURCE_DECISION_DECLINED)),
      Of(SubmitFundingApplication(p, "fa-1", day)),
      Of(RecordFundingDecision(p, "fa-1", v1::FUNDING_OUTCOME_GRANTED, day)),
      Of(ContactPartner(p, "partner-1", day)),
      Of(AgreePartnership(p, "partner-1", day)),
      Of(PublishCommunication(p, "pub-1", v1::COMMUNICATION_CHANNEL_WEBSITE,
                              day)),
      Of(RecordEvaluation(p, day)),
      Of(ProposeHandOff(p, "handoff-1", day)),
      Of(EndContract(p, day, v1::EXIT_OUTCOME_EMPLOYMENT)),
      Of(CloseProject(p)),
      Of(AcceptHandOff(p, "handoff-1")),
      Of(DeclineHandOff(p, "handoff-1")),
      Of(RecordGroupMeeting(call_id, "gm-1", day, {p})),
  };
}

Breakage Cleared() {
  return [](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    if (at.index >= 0) {
      at.message->GetReflection()->SetRepeatedString(at.message, at.field,
                                                     at.index, "");
    } else {
      at.message->GetReflection()->ClearField(at.message, at.field);
    }
  };
}

Breakage UnknownEnumValue() {
  return [](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    constexpr int kUnknown = 99;
    if (at.index >= 0) {
      at.message->GetReflection()->SetRepeatedEnumValue(at.message, at.field,
                                                        at.index, kUnknown);
    } else {
      at.message->GetReflection()->SetEnumValue(at.message, at.field, kUnknown);
    }
  };
}

Breakage Text(std::string value) {
  return [value = std::move(value)](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    if (at.index >= 0) {
      at.message->GetReflection()->SetRepeatedString(at.message, at.field,
                                                     at.index, value);
    } else {
      at.message->GetReflection()->SetString(at.message, at.field, value);
    }
  };
}

Breakage DateOf(int year, int month, int day) {
  return [=](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    at.message->GetReflection()
        ->MutableMessage(at.message, at.field)
        ->CopyFrom(Day(year, month, day));
  };
}

Breakage EmptyMessage() {
  return [](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    at.message->GetReflection()->MutableMessage(at.message, at.field)->Clear();
  };
}

Breakage Flag(bool value) {
  return [value](Message& message, const std::string& path) {
    FieldAt at = Resolve(message, path);
    at.message->GetReflection()->SetBool(at.message, at.field, value);
  };
}

Command Broken(const Command& command, const std::string& path,
               const Breakage& breakage) {
  std::shared_ptr<Message> request(command.request->New());
  request->CopyFrom(*command.request);
  breakage(*request, path);
  Command broken = command;
  broken.request = std::move(request);
  return broken;
}

std::vector<std::string> IdFields(const Descriptor& request) {
  std::vector<std::string> fields;
  for (int i = 0; i < request.field_count(); ++i) {
    const FieldDescriptor& field = *request.field(i);
    if (field.type() == FieldDescriptor::TYPE_STRING && !field.is_repeated() &&
        absl::EndsWith(field.name(), "_id")) {
      fields.push_back(field.name());
    }
  }
  return fields;
}

bool HasEnumField(const Descriptor& request) {
  std::set<const Descriptor*> seen;
  return HasFieldWhere(
      request,
      [](const FieldDescriptor& field) { return field.enum_type() != nullptr; },
      seen);
}

bool HasDateField(const Descriptor& request) {
  std::set<const Descriptor*> seen;
  return HasFieldWhere(
      request,
      [](const FieldDescriptor& field) {
        return field.message_type() == v1::Date::descriptor();
      },
      seen);
}

}  // namespace coopcraft::testing
