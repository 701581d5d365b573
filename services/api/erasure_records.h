// The PersonErased event of an erasure, kept pending in the person's
// erasure marker until the log holds it.
//
// ErasePerson destroys the person's key first (once it is gone nothing can
// be read, whatever happens next) and then appends PersonErased. The event
// rides along in the marker written with the key's deletion, so that a
// crash or a failed append between the two steps leaves a record that the
// next start appends, even when the client never retries. The event's id
// is derived from the request id, so that append and the client's retry
// write it once between them.
#ifndef COOPCRAFT_SERVICES_API_ERASURE_RECORDS_H_
#define COOPCRAFT_SERVICES_API_ERASURE_RECORDS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coopcraft/v1/admin_service.pb.h"
#include "services/privacy/person_key_store.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// One stream for all erasures: a stream id is never pseudonymised, so it
// must not name the person.
inline constexpr char kErasureStream[] = "erasures";

// The PersonErased event that `request`, made by `actor`, appends to
// kErasureStream.
storage::NewEvent ErasureEvent(const coopcraft::v1::ErasePersonRequest& request,
                               std::string_view actor);

// `event` as the pending record of PersonKeyStore::Erase.
std::string EncodePendingErasure(const storage::NewEvent& event);

// Appends the event of every pending record to kErasureStream (once: a
// retry already in the log is a no-op) and clears the record. Run at start,
// before any call is served. DATA_LOSS for a record that does not decode;
// the log's and the store's errors otherwise.
absl::Status RecordPendingErasures(privacy::PersonKeyStore* keys,
                                   storage::EventLog* log);

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_ERASURE_RECORDS_H_
