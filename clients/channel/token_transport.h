// Whether a bearer token may travel to a server: the CLI's guard against
// sending an ADMIN or AUDITOR token in clear across a network, the client
// side of coopcraftd's refusal to serve plaintext off loopback
// (docs/SECURITY.md, "TLS").
#ifndef COOPCRAFT_CLIENTS_CHANNEL_TOKEN_TRANSPORT_H_
#define COOPCRAFT_CLIENTS_CHANNEL_TOKEN_TRANSPORT_H_

#include <string>

#include "absl/status/status.h"

namespace coopcraft::clients {

// True when the gRPC target `target` can only reach this machine:
// "host:port", "[v6]:port" or "dns:///host:port" whose host is 127.0.0.0/8,
// ::1 (or ::ffff:127.x.y.z) or "localhost"; "ipv4:" and "ipv6:" lists of
// such addresses only; "unix:" and "unix-abstract:" sockets. Anything else,
// including wildcards (0.0.0.0), other names, a "dns://SERVER/" authority
// (a remote resolver answers) and unknown schemes, is not.
bool IsLoopbackAddress(const std::string& target);

// OK when a channel to `target` may carry a bearer token: there is no token,
// the channel uses TLS, the target is loopback, or the user explicitly
// accepted plaintext (`insecure_token_over_plaintext`, for a link another
// layer encrypts). Otherwise FAILED_PRECONDITION saying why and naming the
// ways out (--tls_ca, a loopback address, --insecure_token_over_plaintext).
absl::Status CheckTokenTransport(const std::string& target, bool has_token,
                                 bool tls, bool insecure_token_over_plaintext);

}  // namespace coopcraft::clients

#endif  // COOPCRAFT_CLIENTS_CHANNEL_TOKEN_TRANSPORT_H_
