// CoopcraftServer: one running coopcraftd — the open event log, the gRPC
// services over it, and an orderly shutdown.
#ifndef COOPCRAFT_SERVICES_SERVER_SERVER_H_
#define COOPCRAFT_SERVICES_SERVER_SERVER_H_

#include <grpcpp/server.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/server/listen_credentials.h"

namespace coopcraft::server {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see bound_address()).
  std::string listen_address = "127.0.0.1:50051";
  // Directory holding the RocksDB log; created when missing.
  std::string data_dir = "./var/coopcraft";
  // Threads that decide the commands that must read first (a command on a
  // current cached state is decided on gRPC's thread). They wait only for
  // reads: not for the fsync (the log's committer completes commands), nor
  // for an earlier command on the same stream (a command behind it is
  // parked, holding no thread). 4 to 64 measured the same on the load bench.
  size_t command_threads = 16;
  // Concurrent Subscribe calls served; more are refused with
  // RESOURCE_EXHAUSTED. Each costs a little memory and a share of the
  // reader threads, never buffered events.
  size_t max_subscribers = 100;
  // Largest request accepted; larger ones get RESOURCE_EXHAUSTED before any
  // of it is parsed. Every field has its own, smaller limit besides.
  int max_message_bytes = 4 << 20;
  // TLS for the listening port; plaintext only on loopback unless forced.
  TlsOptions tls;
};

// Owns everything a running server needs. Create with Start(); destroy after
// Shutdown() (the destructor shuts down too, with no grace period).
class CoopcraftServer {
 public:
  // Opens the data directory and starts serving. Errors, each with a message
  // a person can act on:
  //  - FAILED_PRECONDITION: the data dir cannot be created or written, or
  //    another process holds it;
  //  - UNAVAILABLE: the address cannot be bound (taken or not local);
  //  - DATA_LOSS: the stored log fails its integrity check on open.
  static absl::StatusOr<std::unique_ptr<CoopcraftServer>> Start(
      const ServerOptions& options);

  ~CoopcraftServer();
  CoopcraftServer(const CoopcraftServer&) = delete;
  CoopcraftServer& operator=(const CoopcraftServer&) = delete;

  // The address actually bound, e.g. "127.0.0.1:43817".
  const std::string& bound_address() const { return bound_address_; }

  // Where this start wrote the first ADMIN token's secret; empty when the
  // data dir already had tokens.
  const std::string& admin_token_file() const { return admin_token_file_; }

  // Stops accepting calls, lets in-flight calls finish until `grace`
  // elapses (then cancels them), and closes the log cleanly. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  struct Parts;
  explicit CoopcraftServer(std::unique_ptr<Parts> parts);

  std::unique_ptr<Parts> parts_;
  std::string bound_address_;
  std::string admin_token_file_;
};

}  // namespace coopcraft::server

#endif  // COOPCRAFT_SERVICES_SERVER_SERVER_H_
