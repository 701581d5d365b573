// OpenChannel: how every CLI command reaches coopcraftd.
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "clients/channel/bearer_channel.h"
#include "clients/cli/commands.h"

namespace coopcraft::cli {

std::shared_ptr<grpc::Channel> OpenChannel(const GlobalOptions& options) {
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
