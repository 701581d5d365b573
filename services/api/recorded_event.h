// The client-facing form of a stored event: the payload as a
// google.protobuf.Any so any gRPC client decodes it from the published protos.
#ifndef COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_
#define COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_

#include <cstddef>

#include "coopcraft/v1/event_record.pb.h"
#include "coopcraft/v1/event_stream_service.pb.h"

namespace coopcraft::api {

// A message of events (a subscription batch, a ReadAll, ReadStream or
// ExportLog page) takes no more events once theirs reach this many bytes.
// An event may hold 1 MiB (storage::LogLimits), so a message stays near
// 2 MiB at most: below the 4 MiB a gRPC client accepts by default, which a
// page of 256 large events would pass, and a subscriber resuming from its
// checkpoint would meet the same oversize message again.
inline constexpr size_t kMaxEventBytesPerMessage = 1 << 20;

// Fills `out` from `record`: payload.type_url = "type.googleapis.com/" +
// type, payload.value = the stored bytes. Hashes are not copied (ExportLog
// serves them).
void ToRecordedEvent(const coopcraft::v1::EventRecord& record,
                     coopcraft::v1::RecordedEvent* out);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_RECORDED_EVENT_H_
