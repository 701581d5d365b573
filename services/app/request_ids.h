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
std::string EventIdForRequest(std::string_view request_id, size_t index);

}  // namespace coopcraft::app

#endif  // COOPCRAFT_SERVICES_APP_REQUEST_IDS_H_
