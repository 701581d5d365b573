// OpenChannel: how every CLI command reaches coopcraftd.
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "clients/channel/bearer_channel.h"
#include "clients/channel/token_transport.h"
#include "clients/cli/commands.h"

namespace coopcraft::cli {

std::shared_ptr<grpc::Channel> OpenChannel(const GlobalOptions& options) {
  // Checked before the channel exists: gRPC may connect as soon as it does,
  // and the token goes out with the first call.
  if (absl::Status transport = clients::CheckTokenTransport(
          options.server, !options.token.empty(), !options.tls_ca_file.empty(),
          options.insecure_token_over_plaintext);
      !transport.ok()) {
    std::fprintf(stderr, "coopcraft: %s\n",
                 std::string(transport.message()).c_str());
    std::exit(2);
  }
  if (options.tls_ca_file.empty()) {
    return clients::BearerChannel(options.server, options.token);
  }
  std::ifstream in(options.tls_ca_file);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in || pem.str().empty()) {
    std::fprintf(stderr, "coopcraft: cannot read --tls_ca %s\n",
                 options.tls_ca_file.c_str());
    std::exit(2);
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = pem.str();
  return clients::BearerChannel(options.server, options.token,
                                grpc::SslCredentials(tls));
}

}  // namespace coopcraft::cli
