// Client channels that carry a bearer token on every call, for the CLI,
// the benchmarks and the tests. gRPC's own call credentials refuse to travel
// over plaintext, which coopcraftd allows on loopback, so the header is
// added by an interceptor instead.
#ifndef COOPCRAFT_CLIENTS_CHANNEL_BEARER_CHANNEL_H_
#define COOPCRAFT_CLIENTS_CHANNEL_BEARER_CHANNEL_H_

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace coopcraft::clients {

// A channel to `address` whose calls all send "authorization: Bearer
// <token>" (none when `token` is empty).
std::shared_ptr<grpc::Channel> BearerChannel(
    const std::string& address, const std::string& token,
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        grpc::InsecureChannelCredentials(),
    const grpc::ChannelArguments& args = grpc::ChannelArguments());

// The token in `path` (a file written by coopcraftd or by an operator),
// without surrounding whitespace. NOT_FOUND / FAILED_PRECONDITION naming
// the file when it is missing or empty.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

}  // namespace coopcraft::clients

#endif  // COOPCRAFT_CLIENTS_CHANNEL_BEARER_CHANNEL_H_
