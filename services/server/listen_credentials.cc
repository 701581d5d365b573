// ListenCredentials: validates the TLS flags up front so that a mistake
// stops coopcraftd with a message naming the flag, instead of gRPC failing to
// bind with a generic error (or, worse, serving plaintext by accident).
#include "services/server/listen_credentials.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/base/loopback.h"
#include "services/base/status_macros.h"

namespace coopcraft::server {
namespace {

// The host part of "host:port" or "[v6]:port". An unbracketed address with
// several colons is returned whole: it may be a bare IPv6 address, and
// guessing where its port starts could turn a wildcard into a loopback.
std::string HostPart(const std::string& listen_address) {
  if (!listen_address.empty() && listen_address.front() == '[') {
    const size_t close = listen_address.find(']');
    if (close == std::string::npos) return listen_address;
    return listen_address.substr(1, close - 1);
  }
  const size_t colon = listen_address.find(':');
  if (colon == std::string::npos) return listen_address;
  if (listen_address.find(':', colon + 1) != std::string::npos) {
    return listen_address;
  }
  return listen_address.substr(0, colon);
}

// Whole-file read. The PEM check only looks for the armour line: a file that
// has it but holds garbage is for gRPC to reject, but a DER file or a path
// mix-up (a directory, the wrong file) is caught here with the flag's name.
absl::StatusOr<std::string> ReadPemFile(const std::string& flag,
                                        const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        flag, ": ", path, " is a directory; give the PEM file itself"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, ": cannot read ", path, ": ", std::strerror(errno),
                     "; check the path and that coopcraftd's user may read "
                     "it"));
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string pem = content.str();
  if (!absl::StrContains(pem, "-----BEGIN")) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, ": ", path,
                     " is not PEM (no \"-----BEGIN\" line); convert it with "
                     "openssl, e.g. `openssl x509 -inform der` for a DER "
                     "certificate"));
  }
  return pem;
}

}  // namespace

bool IsLoopbackAddress(const std::string& listen_address) {
  return IsLoopbackHost(HostPart(listen_address));
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const TlsOptions& tls, const std::string& listen_address) {
  if (tls.cert_file.empty() && !tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_key is set but --tls_cert is not: give both, the certificate "
        "chain and its private key");
  }
  if (!tls.cert_file.empty() && tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert is set but --tls_key is not: give both, the certificate "
        "chain and its private key");
  }
  if (tls.cert_file.empty() && !tls.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca needs --tls_cert and --tls_key: mutual TLS is TLS "
        "with client certificates, the server needs its own certificate too");
  }

  if (tls.cert_file.empty()) {
    if (!tls.allow_insecure_remote && !IsLoopbackAddress(listen_address)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to serve plaintext on ", listen_address,
          ", which is not a loopback address: beneficiaries' personal data "
          "would cross the network in clear. Give --tls_cert and --tls_key "
          "(and --tls_client_ca for mutual TLS), listen on 127.0.0.1, or, "
          "if another layer encrypts the link, pass "
          "--allow_insecure_remote"));
    }
    return grpc::InsecureServerCredentials();
  }

  ASSIGN_OR_RETURN(std::string cert, ReadPemFile("--tls_cert", tls.cert_file));
  ASSIGN_OR_RETURN(std::string key, ReadPemFile("--tls_key", tls.key_file));
  grpc::SslServerCredentialsOptions options(
      tls.client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_root_certs,
                     ReadPemFile("--tls_client_ca", tls.client_ca_file));
  }
  options.pem_key_cert_pairs.push_back(
      {.private_key = std::move(key), .cert_chain = std::move(cert)});
  return grpc::SslServerCredentials(options);
}

}  // namespace coopcraft::server
