// Event ids derived from a command's request_id, so that a retried command
// maps onto the very events it wrote the first time (AIP-155) and the log's
// permanent id index makes the retry a no-op.
#ifndef COOPCRAFT_SERVICES_APP_REQUEST_IDS_H_
#define COOPCRAFT_SERVICES_APP_REQUEST_IDS_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace coopcraft::app {

// UUID text (version 8, RFC 9562 "custom") of the `index`-th event written
// by the command with `request_id`: the first 16 bytes of
// SHA-256("coopcraft.request/" + request_id + "/" + index), with version and
// variant bits set. Lower-case request ids and upper-case ones map alike.
//
// When `request_id` is a version 7 UUID, its first 6 bytes (the Unix
// milliseconds at which the client made it) replace the digest's first 6:
// ids of commands sent close in time then sort close together, so the
// log's event-id index takes them near its end, as it does the ids the log
// generates, instead of at random places (see docs/BENCHMARKS.md, issue 4).
// The other 74 bits still come from the digest: a client forging a request
// id whose events take another command's ids would need a 74-bit partial
// SHA-256 preimage.
std::string EventIdForRequest(std::string_view request_id, size_t index);

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_REQUEST_IDS_H_
