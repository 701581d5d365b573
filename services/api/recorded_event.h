// The client-facing form of a stored event: the payload as a
// google.protobuf.Any so any gRPC client decodes it from the published protos.
#ifndef COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_
#define COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_

#include "coopcraft/v1/event_record.pb.h"
#include "coopcraft/v1/event_stream_service.pb.h"

namespace coopcraft::api {

// Fills `out` from `record`: payload.type_url = "type.googleapis.com/" +
// type, payload.value = the stored bytes. Hashes are not copied (ExportLog
// serves them).
void ToRecordedEvent(const coopcraft::v1::EventRecord& record,
                     coopcraft::v1::RecordedEvent* out);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_
