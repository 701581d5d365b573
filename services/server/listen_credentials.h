// How coopcraftd secures its listening port.
//
// The event log holds personal data of welfare beneficiaries, the people in
// the insertion programme. That data must not cross a network in clear, so
// coopcraftd serves TLS when given a certificate and refuses plaintext on any
// address but loopback, where no network is crossed, unless the operator
// forces it (e.g. a TLS-terminating proxy on the same private link). With a
// client CA it also demands mutual TLS, so that only machines holding a
// certificate from that CA may connect at all.
#ifndef COOPCRAFT_SERVICES_SERVER_LISTEN_CREDENTIALS_H_
#define COOPCRAFT_SERVICES_SERVER_LISTEN_CREDENTIALS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace coopcraft::server {

// How coopcraftd secures its listening port.
struct TlsOptions {
  // PEM server certificate chain; empty = plaintext.
  std::string cert_file;
  // PEM private key of cert_file.
  std::string key_file;
  // PEM CA; when set, clients must present a certificate it signed (mutual
  // TLS).
  std::string client_ca_file;
  // Permit plaintext on a non-loopback address.
  bool allow_insecure_remote = false;
};

// True when the host part of `listen_address` ("host:port", "[v6]:port") is a
// loopback address: 127.0.0.0/8, ::1, "localhost". Wildcards (0.0.0.0, [::]),
// an empty host and every other name are not: they may reach a network.
bool IsLoopbackAddress(const std::string& listen_address);

// The credentials to listen on `listen_address` with. Errors name the flag
// and file at fault:
//  - INVALID_ARGUMENT: cert without key or key without cert; client CA
//    without cert;
//  - FAILED_PRECONDITION: a file cannot be read or is not PEM, or plaintext
//    on a non-loopback address without allow_insecure_remote.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const TlsOptions& tls, const std::string& listen_address);

}  // namespace coopcraft::server

#endif  // COOPCRAFT_SERVICES_SERVER_LISTEN_CREDENTIALS_H_
