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
#include "services/privacy/event_sealer.h"

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

// PackEnvelope with the event's personal fields sealed by `sealer` for its
// data subject: the event's own `person_id` field when it has one set (the
// event that introduces a person), else `subject` (the aggregate's person).
// `envelope` itself keeps its clear fields, for folding into the state.
absl::StatusOr<TypedPayload> PackEnvelopeSealed(
    const google::protobuf::Message& envelope,
    const privacy::EventSealer& sealer, std::string_view subject);

// Whether PackEnvelopeSealed of `envelope` needs its person's key: the set
// event's type declares sealed personal data. Fetching a key may create and
// sync it, so a thread that must not wait for the disk asks first.
bool SealsPersonalData(const google::protobuf::Message& envelope);

// After UnpackEnvelope: puts the set event's sealed personal fields back;
// an erased person's stay cleared.
absl::Status UnsealEnvelope(google::protobuf::Message* envelope,
                            const privacy::EventSealer& sealer);

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_EVENT_ENVELOPE_H_
