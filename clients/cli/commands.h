// Subcommands of the coopcraft CLI. Each returns the process exit code: 0 on
// success, otherwise the gRPC status code of the failed call (so scripts can
// tell UNAVAILABLE=14 from PERMISSION_DENIED=7), or 2 for bad usage.
#ifndef COOPCRAFT_CLIENTS_CLI_COMMANDS_H_
#define COOPCRAFT_CLIENTS_CLI_COMMANDS_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace coopcraft::cli {

struct GlobalOptions {
  std::string server;
  absl::Duration timeout;
  // The bearer token sent with every call; empty sends none.
  std::string token;
  // PEM CA that signed the server's certificate; empty means plaintext
  // (which coopcraftd accepts on loopback only).
  std::string tls_ca_file;
  // Send the token over plaintext to a non-loopback server anyway (another
  // layer, e.g. a VPN, encrypts the link).
  bool insecure_token_over_plaintext = false;
};

// The channel every command uses: TLS when a CA is given, the token on
// every call. Exits the process with 2, before any connection, when the CA
// file cannot be read or when a token would go in clear to a non-loopback
// server (clients/channel/token_transport.h).
std::shared_ptr<grpc::Channel> OpenChannel(const GlobalOptions& options);

// `coopcraft status`: health check plus GetServerInfo.
int RunStatus(const GlobalOptions& options,
              const std::vector<std::string>& args);

// `coopcraft audit verify FILE` (offline, no server), `coopcraft audit
// verify-chain` (the server's VerifyChain) and `coopcraft audit export
// --out=FILE`. Both verifies print the range checked and its head hash, and
// exit 0 for an intact chain and DATA_LOSS (15) naming the first bad
// position otherwise; verify exits FAILED_PRECONDITION (9) when the file is
// intact but not the range an --expect_* flag demands. export exits with
// the status of the errno (absl::ErrnoToStatus, e.g. RESOURCE_EXHAUSTED (8)
// for a full disk) when the file cannot be created, written, synced or
// closed, and then removes what it wrote.
int RunAudit(const GlobalOptions& options,
             const std::vector<std::string>& args);

}  // namespace coopcraft::cli

#endif  // COOPCRAFT_CLIENTS_CLI_COMMANDS_H_
