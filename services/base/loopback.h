// Whether a host names this machine's loopback interface: shared by the
// server (may it listen in plaintext?) and the CLI (may its token travel in
// clear?), which must agree.
#ifndef COOPCRAFT_SERVICES_BASE_LOOPBACK_H_
#define COOPCRAFT_SERVICES_BASE_LOOPBACK_H_

#include <string>

namespace coopcraft {

// True for "localhost" (any case), an IPv4 address in 127.0.0.0/8, "::1"
// and an IPv4-mapped IPv6 loopback (::ffff:127.x.y.z). `host` is a bare
// host, without brackets or port; anything else is false.
bool IsLoopbackHost(const std::string& host);

}  // namespace coopcraft

#endif  // COOPCRAFT_SERVICES_BASE_LOOPBACK_H_
