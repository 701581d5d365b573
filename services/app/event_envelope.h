// Converts between an aggregate's event envelope (a proto message whose only
// content is `oneof event { ... }`) and the log's typed records. The stored
// type is the full name of the set case's message, e.g.
// "coopcraft.v1.MentorMeetingHeld", so readers need no envelope to decode it.
#ifndef COOPCRAFT_SERVICES_APP_EVENT_ENVELOPE_H_
#define COOPCRAFT_SERVICES_APP_EVENT_ENVELOPE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/event_record.pb.h"
#include "google/protobuf/message.h"

namespace coopcraft::app {

struct TypedPayload {
  std::string type;
  std::string payload;
};

// The set case of `envelope`'s oneof `event`. INTERNAL when none is set
// (a decider bug, never a client error).
absl::StatusOr<TypedPayload> PackEnvelope(
    const google::protobuf::Message& envelope);

// Fills `envelope` (cleared first) from `record`. NOT_FOUND when the
// envelope has no case for record.type(), so callers can tell an event of
// another aggregate from a corrupt one; DATA_LOSS when the payload does not
// parse.
absl::Status UnpackEnvelope(const coopcraft::v1::EventRecord& record,
                            google::protobuf::Message* envelope);

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_EVENT_ENVELOPE_H_
