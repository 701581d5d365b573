// IsLoopbackAddress over gRPC's target syntax, and CheckTokenTransport's
// decision: a token goes in clear only to loopback or on explicit opt-in.
#include "clients/channel/token_transport.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coopcraft::clients {
namespace {

using ::testing::HasSubstr;

TEST(IsLoopbackAddressTest, LoopbackTargets) {
  for (const std::string target :
       {"127.0.0.1:50051", "127.255.0.9:1", "127.0.0.1", "localhost:50051",
        "LocalHost:50051", "localhost", "[::1]:50051", "[::1]", "::1",
        "[::ffff:127.0.0.1]:50051", "dns:///localhost:50051",
        "dns:///127.0.0.1:50051", "dns:localhost:50051", "ipv4:127.0.0.1:50051",
        "ipv4:127.0.0.1:1,127.0.0.2:2", "ipv6:[::1]:50051",
        "unix:/run/coopcraft.sock", "unix:///run/coopcraft.sock",
        "unix-abstract:coopcraft"}) {
    EXPECT_TRUE(IsLoopbackAddress(target)) << target;
  }
}

TEST(IsLoopbackAddressTest, EverythingElseIsRemote) {
  for (const std::string target : {"10.0.0.5:50051",
                                   "coop.example.org:443",
                                   "0.0.0.0:50051",
                                   "[::]:50051",
                                   "128.0.0.1:50051",
                                   "126.255.255.255:1",
                                   "[::2]:50051",
                                   "[::ffff:10.0.0.1]:50051",
                                   "localhost.example.org:50051",
                                   "mylocalhost:50051",
                                   "127.0.0.1.example.org:50051",
                                   "dns://8.8.8.8/localhost:50051",
                                   "dns://8.8.8.8/127.0.0.1:50051",
                                   "dns:///10.0.0.5:50051",
                                   "ipv4:127.0.0.1:1,10.0.0.5:1",
                                   "ipv4:localhost:50051",
                                   "ipv4:",
                                   "ipv6:[::2]:1",
                                   "xds:///coop",
                                   "vsock:3:50051",
                                   "",
                                   ":50051",
                                   "127.1:50051",
                                   "localhost:50051/x",
                                   "localhost:port",
                                   "[::1]x",
                                   "[::1",
                                   "DNS:///localhost:50051"}) {
    EXPECT_FALSE(IsLoopbackAddress(target)) << target;
  }
}

TEST(CheckTokenTransportTest, RefusesATokenInClearToARemoteServer) {
  absl::Status status = CheckTokenTransport("coop.example.org:50051",
                                            /*has_token=*/true, /*tls=*/false,
                                            /*insecure_token_over_plaintext=*/
                                            false);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("coop.example.org:50051"));
  EXPECT_THAT(status.message(), HasSubstr("--tls_ca"));
  EXPECT_THAT(status.message(), HasSubstr("--insecure_token_over_plaintext"));
}

TEST(CheckTokenTransportTest, AllowsEachWayOut) {
  // No token: nothing secret travels.
  EXPECT_TRUE(CheckTokenTransport("10.0.0.5:50051", false, false, false).ok());
  // TLS.
  EXPECT_TRUE(CheckTokenTransport("10.0.0.5:50051", true, true, false).ok());
  // Loopback, which is what the README and the tests use.
  EXPECT_TRUE(CheckTokenTransport("127.0.0.1:50051", true, false, false).ok());
  EXPECT_TRUE(CheckTokenTransport("localhost:50051", true, false, false).ok());
  EXPECT_TRUE(CheckTokenTransport("[::1]:50051", true, false, false).ok());
  // The explicit opt-in.
  EXPECT_TRUE(CheckTokenTransport("10.0.0.5:50051", true, false, true).ok());
}

}  // namespace
}  // namespace coopcraft::clients
