// Pending PersonErased records: encoded as an EventRecord (the fields of a
// NewEvent), appended at start.
#include "services/api/erasure_records.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/event_record.pb.h"
#include "services/app/request_ids.h"
#include "services/base/status_macros.h"

namespace coopcraft::api {

namespace v1 = ::coopcraft::v1;

storage::NewEvent ErasureEvent(const v1::ErasePersonRequest& request,
                               std::string_view actor) {
  v1::PersonErased event;
  event.set_person_id(request.person_id());
  event.set_ground(request.ground());
  storage::NewEvent record;
  record.event_id = app::EventIdForRequest(request.request_id(), 0);
  record.type = v1::PersonErased::descriptor()->full_name();
  record.payload = event.SerializeAsString();
  record.metadata.set_actor(std::string(actor));
  record.metadata.set_correlation_id(request.request_id());
  record.metadata.set_causation_id(request.request_id());
  return record;
}

std::string EncodePendingErasure(const storage::NewEvent& event) {
  v1::EventRecord record;
  record.set_stream(kErasureStream);
  record.set_event_id(event.event_id);
  record.set_type(event.type);
  record.set_payload(event.payload);
  *record.mutable_metadata() = event.metadata;
  return record.SerializeAsString();
}

absl::Status RecordPendingErasures(privacy::PersonKeyStore* keys,
                                   storage::EventLog* log) {
  ASSIGN_OR_RETURN(std::vector<privacy::PersonKeyStore::PendingErasure> pending,
                   keys->PendingRecords());
  for (const auto& erasure : pending) {
    v1::EventRecord record;
    if (!record.ParseFromString(erasure.record) ||
        record.stream() != kErasureStream || record.event_id().empty()) {
      return absl::DataLossError(
          absl::StrCat("person key store: the pending erasure record of ",
                       erasure.person_id, " does not decode"));
    }
    std::vector<storage::NewEvent> events(1);
    events[0].event_id = record.event_id();
    events[0].type = record.type();
    events[0].payload = record.payload();
    events[0].metadata = record.metadata();
    RETURN_IF_ERROR(log->Append(kErasureStream,
                                storage::ExpectedRevision::Any(),
                                std::move(events))
                        .status());
    RETURN_IF_ERROR(
        keys->ClearPendingRecord(erasure.person_id, erasure.record));
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::api
