// IsLoopbackAddress and the refusals of ListenCredentials. Whether the
// credentials really serve TLS is for tests/integration/security, against the
// real coopcraftd.
#include "services/server/listen_credentials.h"

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::server {
namespace {

using ::testing::HasSubstr;

TEST(IsLoopbackAddressTest, LoopbackHostsAreLoopback) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:1"));
  EXPECT_TRUE(IsLoopbackAddress("127.5.5.5:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:1"));
  EXPECT_TRUE(IsLoopbackAddress("LocalHost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::ffff:127.0.0.1]:1"));
}

TEST(IsLoopbackAddressTest, WildcardsAndOtherHostsAreNot) {
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:1"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:1"));
  EXPECT_FALSE(IsLoopbackAddress("example.org:1"));
  EXPECT_FALSE(IsLoopbackAddress("128.0.0.1:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::2]:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::ffff:10.0.0.1]:1"));
}

TEST(IsLoopbackAddressTest, LookalikesAndMalformedAddressesAreNot) {
  // An empty host binds every interface.
  EXPECT_FALSE(IsLoopbackAddress(":1"));
  EXPECT_FALSE(IsLoopbackAddress(""));
  // Names that merely start like loopback resolve elsewhere.
  EXPECT_FALSE(IsLoopbackAddress("localhost.example.org:1"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.example.org:1"));
  EXPECT_FALSE(IsLoopbackAddress("[::1:1"));
  // Unbracketed IPv6: where the port starts is ambiguous, so no guessing.
  EXPECT_FALSE(IsLoopbackAddress("::1:50051"));
  // A Unix socket is not an IP address; it is not waved through either.
  EXPECT_FALSE(IsLoopbackAddress("unix:/tmp/coopcraftd.sock"));
}

// A temp dir with a PEM-looking certificate, key and CA. Their content is not
// a real certificate: ListenCredentials only reads them, gRPC parses them at
// bind time.
class ListenCredentialsTest : public ::testing::Test {
 protected:
  ListenCredentialsTest() {
    cert_ = Write("server.pem",
                  "-----BEGIN CERTIFICATE-----\nAA==\n"
                  "-----END CERTIFICATE-----\n");
    key_ = Write("server.key",
                 "-----BEGIN PRIVATE KEY-----\nAA==\n"
                 "-----END PRIVATE KEY-----\n");
    ca_ = Write("ca.pem",
                "-----BEGIN CERTIFICATE-----\nAA==\n"
                "-----END CERTIFICATE-----\n");
  }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    return path;
  }

  coopcraft::testing::TempDir dir_;
  std::string cert_;
  std::string key_;
  std::string ca_;
};

TEST_F(ListenCredentialsTest, PlaintextOnLoopbackIsAllowed) {
  auto credentials = ListenCredentials({}, "127.0.0.1:0");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST_F(ListenCredentialsTest, PlaintextOnRemoteAddressIsRefused) {
  for (const char* address : {"0.0.0.0:50051", "[::]:50051", "10.0.0.1:1"}) {
    auto credentials = ListenCredentials({}, address);
    EXPECT_EQ(credentials.status().code(),
              absl::StatusCode::kFailedPrecondition)
        << address;
    EXPECT_THAT(credentials.status().message(),
                HasSubstr("--allow_insecure_remote"));
    EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_cert"));
    EXPECT_THAT(credentials.status().message(), HasSubstr(address));
  }
}

TEST_F(ListenCredentialsTest, PlaintextOnRemoteAddressWhenForced) {
  auto credentials =
      ListenCredentials({.allow_insecure_remote = true}, "0.0.0.0:0");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST_F(ListenCredentialsTest, TlsOnRemoteAddressIsAllowed) {
  auto credentials =
      ListenCredentials({.cert_file = cert_, .key_file = key_}, "0.0.0.0:0");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST_F(ListenCredentialsTest, MutualTlsIsAllowed) {
  auto credentials = ListenCredentials(
      {.cert_file = cert_, .key_file = key_, .client_ca_file = ca_},
      "0.0.0.0:0");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST_F(ListenCredentialsTest, CertWithoutKeyIsInvalid) {
  auto credentials = ListenCredentials({.cert_file = cert_}, "127.0.0.1:0");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_key"));
}

TEST_F(ListenCredentialsTest, KeyWithoutCertIsInvalid) {
  auto credentials = ListenCredentials({.key_file = key_}, "127.0.0.1:0");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_cert"));
}

TEST_F(ListenCredentialsTest, ClientCaWithoutCertIsInvalid) {
  // Even on loopback: asking for mutual TLS and getting plaintext would
  // silently drop the protection the operator asked for.
  auto credentials = ListenCredentials({.client_ca_file = ca_}, "127.0.0.1:0");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_client_ca"));
  EXPECT_THAT(credentials.status().message(), HasSubstr("--tls_cert"));
}

TEST_F(ListenCredentialsTest, UnreadableFilesNameTheirFlag) {
  const std::string missing = dir_.path() + "/missing.pem";
  struct Case {
    TlsOptions tls;
    const char* flag;
  };
  for (const Case& c : {
           Case{{.cert_file = missing, .key_file = key_}, "--tls_cert"},
           Case{{.cert_file = cert_, .key_file = missing}, "--tls_key"},
           Case{{.cert_file = cert_,
           .key_file = key_,
           .client_ca_file = missing},
                "--tls_client_ca"},
           Case{{.cert_file = dir_.path(), .key_file = key_}, "--tls_cert"},
       }) {
    auto credentials = ListenCredentials(c.tls, "127.0.0.1:0");
    EXPECT_EQ(credentials.status().code(),
              absl::StatusCode::kFailedPrecondition)
        << c.flag;
    EXPECT_THAT(credentials.status().message(), HasSubstr(c.flag));
  }
  auto credentials =
      ListenCredentials({.cert_file = missing, .key_file = key_}, "[::1]:0");
  EXPECT_THAT(credentials.status().message(), HasSubstr(missing));
}

TEST_F(ListenCredentialsTest, NonPemFilesNameTheirFlag) {
  // DER starts with a SEQUENCE tag, not an armour line.
  const std::string der = Write("server.der", std::string("\x30\x82\x01\x0a"));
  const std::string empty = Write("empty.pem", "");
  struct Case {
    TlsOptions tls;
    const char* flag;
  };
  for (const Case& c : {
           Case{{.cert_file = der, .key_file = key_}, "--tls_cert"},
           Case{{.cert_file = cert_, .key_file = empty}, "--tls_key"},
           Case{{.cert_file = cert_, .key_file = key_, .client_ca_file = der},
                "--tls_client_ca"},
       }) {
    auto credentials = ListenCredentials(c.tls, "127.0.0.1:0");
    EXPECT_EQ(credentials.status().code(),
              absl::StatusCode::kFailedPrecondition)
        << c.flag;
    EXPECT_THAT(credentials.status().message(), HasSubstr(c.flag));
    EXPECT_THAT(credentials.status().message(), HasSubstr("not PEM"));
  }
}

}  // namespace
}  // namespace coopcraft::server
