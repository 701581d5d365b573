// The first start of an empty data dir issues an ADMIN token, so the
// operator can create everyone else's; its secret goes to a file only the
// server's user can read, never to a log.
#ifndef COOPCRAFT_SERVICES_SERVER_BOOTSTRAP_TOKEN_H_
#define COOPCRAFT_SERVICES_SERVER_BOOTSTRAP_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/auth/token_store.h"

namespace coopcraft::server {

// The file name, in the data dir.
inline constexpr char kAdminTokenFile[] = "admin.token";

// When `tokens` has never issued a token: writes a new secret to
// `<data_dir>/admin.token` (mode 0600, synced) and then issues an ADMIN
// token "bootstrap-admin" for it; returns the file's path. Otherwise
// returns an empty string and touches nothing. The file comes first: a
// crash before the token is stored leaves an empty store, and the next
// start simply writes a new one.
absl::StatusOr<std::string> BootstrapAdminToken(auth::TokenStore& tokens,
                                                const std::string& data_dir);

}  // namespace coopcraft::server

#endif  // COOPCRAFT_SERVICES_SERVER_BOOTSTRAP_TOKEN_H_
