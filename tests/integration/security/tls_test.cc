// TLS of the real coopcraftd. A throwaway PKI is made with the openssl tool
// once per run: a CA, a server certificate for localhost/127.0.0.1, a client
// certificate from that CA, and a second, unrelated CA with its own client
// certificate (the "wrong" one). Calls go to the standard health check, which
// needs no token, through a generic stub: the health proto is not linked.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>
#include <signal.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";
// HealthCheckResponse{status: SERVING}: field 1, varint, value 1.
constexpr char kServing[] = "\x08\x01";

// Where the test PKI lives, made once for the whole suite.
struct Pki {
  TempDir dir;
  std::string Path(const std::string& name) const {
    return dir.path() + "/" + name;
  }
  std::string Read(const std::string& name) const {
    return ReadFileOrEmpty(Path(name));
  }
};

// Runs openssl; a failure is fatal for the suite, with openssl's output.
void OpenSsl(const std::vector<std::string>& args) {
  const ExitInfo info =
      RunProgram(OPENSSL_PROGRAM_PATH, args, absl::Seconds(20));
  ASSERT_TRUE(info.exited && info.exit_code == 0)
      << "openssl " << absl::StrJoin(args, " ") << "\n"
      << info.output;
}

// A self-signed CA: `name`.pem and `name`.key, EC P-256 for speed.
void MakeCa(const Pki& pki, const std::string& name) {
  OpenSsl({"req",
           "-x509",
           "-new",
           "-newkey",
           "ec",
           "-pkeyopt",
           "ec_paramgen_curve:P-256",
           "-nodes",
           "-keyout",
           pki.Path(name + ".key"),
           "-out",
           pki.Path(name + ".pem"),
           "-days",
           "2",
           "-subj",
           "/CN=CoopCraft test " + name,
           "-addext",
           "basicConstraints=critical,CA:TRUE",
           "-addext",
           "keyUsage=critical,keyCertSign,cRLSign"});
}

// A leaf certificate `name`.pem/.key signed by `ca`, with `extensions`
// (an openssl extension file's lines).
void MakeLeaf(const Pki& pki, const std::string& name, const std::string& ca,
              const std::string& subject, const std::string& extensions,
              int serial) {
  {
    std::ofstream ext(pki.Path(name + ".ext"), std::ios::trunc);
    ext << extensions;
  }
  OpenSsl({"req", "-new", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:P-256", "-nodes", "-keyout",
           pki.Path(name + ".key"), "-out", pki.Path(name + ".csr"), "-subj",
           subject});
  OpenSsl({"x509", "-req", "-in", pki.Path(name + ".csr"), "-CA",
           pki.Path(ca + ".pem"), "-CAkey", pki.Path(ca + ".key"),
           "-set_serial", absl::StrCat(serial), "-days", "2", "-extfile",
           pki.Path(name + ".ext"), "-out", pki.Path(name + ".pem")});
}

// What a client brings to the handshake.
struct ClientTls {
  std::string trusted_ca;  // file name in the PKI dir
  std::string cert;        // file name prefix of .pem/.key; empty = none
};

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new Pki;
    MakeCa(*pki_, "ca");
    MakeCa(*pki_, "wrong_ca");
    MakeLeaf(*pki_, "server", "ca", "/CN=localhost",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
             "extendedKeyUsage=serverAuth\n",
             2);
    MakeLeaf(*pki_, "client", "ca", "/CN=coopcraft-client",
             "extendedKeyUsage=clientAuth\n", 3);
    MakeLeaf(*pki_, "wrong_client", "wrong_ca", "/CN=coopcraft-client",
             "extendedKeyUsage=clientAuth\n", 4);
  }

  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  void SetUp() override {
    // SetUpTestSuite cannot fail the suite by itself.
    ASSERT_THAT(pki_->Read("wrong_client.pem"), HasSubstr("-----BEGIN"));
  }

  std::vector<std::string> TlsFlags() const {
    return {"--tls_cert=" + pki_->Path("server.pem"),
            "--tls_key=" + pki_->Path("server.key")};
  }

  std::vector<std::string> MutualTlsFlags() const {
    std::vector<std::string> flags = TlsFlags();
    flags.push_back("--tls_client_ca=" + pki_->Path("ca.pem"));
    return flags;
  }

  std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> flags) {
    auto server = ServerProcess::Start(
        {.data_dir = data_dir_.path() + "/data", .extra_flags = flags});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address,
                                                   const ClientTls& tls) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = pki_->Read(tls.trusted_ca + ".pem");
    if (!tls.cert.empty()) {
      options.pem_private_key = pki_->Read(tls.cert + ".key");
      options.pem_cert_chain = pki_->Read(tls.cert + ".pem");
    }
    grpc::ChannelArguments args;
    // The certificate names localhost and 127.0.0.1; checking the name
    // against "localhost" also proves the server sent the certificate.
    args.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(address, grpc::SslCredentials(options),
                                     args);
  }

  static std::shared_ptr<grpc::Channel> PlaintextChannel(
      const std::string& address) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }

  // Calls Health/Check for the whole server; the response bytes in
  // `response` when OK.
  static grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                  std::string* response) {
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    // An empty HealthCheckRequest (service "") encodes as no bytes.
    grpc::Slice empty(std::string{});
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer reply;
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&context, kHealthCheck, grpc::StubOptions(), &request,
                   &reply, [&](grpc::Status s) {
                     status = std::move(s);
                     done.Notify();
                   });
    done.WaitForNotification();
    if (status.ok()) {
      std::vector<grpc::Slice> slices;
      EXPECT_TRUE(reply.Dump(&slices).ok());
      response->clear();
      for (const grpc::Slice& slice : slices) {
        response->append(reinterpret_cast<const char*>(slice.begin()),
                         slice.size());
      }
    }
    return status;
  }

  static void ExpectServing(const std::shared_ptr<grpc::Channel>& channel) {
    std::string response;
    const grpc::Status status = CheckHealth(channel, &response);
    ASSERT_TRUE(status.ok())
        << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(response, kServing);
  }

  static void ExpectRefused(const std::shared_ptr<grpc::Channel>& channel) {
    std::string response;
    const absl::Time start = absl::Now();
    const grpc::Status status = CheckHealth(channel, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << status.error_message();
    // A failed handshake, not a hang until the deadline.
    EXPECT_LT(absl::Now() - start, absl::Seconds(4));
  }

  static Pki* pki_;
  TempDir data_dir_;
};

Pki* TlsTest::pki_ = nullptr;

TEST_F(TlsTest, ClientTrustingTheCaIsServed) {
  auto server = StartServer(TlsFlags());
  ASSERT_NE(server, nullptr);
  ExpectServing(TlsChannel(server->address(), {.trusted_ca = "ca"}));
  const ExitInfo exit = server->Stop(SIGTERM);
  EXPECT_THAT(exit.output, HasSubstr("(TLS)"));
}

TEST_F(TlsTest, PlaintextClientIsRefused) {
  auto server = StartServer(TlsFlags());
  ASSERT_NE(server, nullptr);
  ExpectRefused(PlaintextChannel(server->address()));
}

TEST_F(TlsTest, ClientNotTrustingTheServerCertificateIsRefused) {
  // The client side of TLS: a certificate from an unknown CA is rejected.
  auto server = StartServer(TlsFlags());
  ASSERT_NE(server, nullptr);
  ExpectRefused(TlsChannel(server->address(), {.trusted_ca = "wrong_ca"}));
}

TEST_F(TlsTest, MutualTlsServesTheRightClientCertificateOnly) {
  auto server = StartServer(MutualTlsFlags());
  ASSERT_NE(server, nullptr);
  ExpectServing(
      TlsChannel(server->address(), {.trusted_ca = "ca", .cert = "client"}));
  ExpectRefused(TlsChannel(server->address(), {.trusted_ca = "ca"}));
  ExpectRefused(TlsChannel(server->address(),
                           {.trusted_ca = "ca", .cert = "wrong_client"}));
  ExpectRefused(PlaintextChannel(server->address()));
  // Still serving the right client after the refusals.
  ExpectServing(
      TlsChannel(server->address(), {.trusted_ca = "ca", .cert = "client"}));
  const ExitInfo exit = server->Stop(SIGTERM);
  EXPECT_THAT(exit.output, HasSubstr("(mutual TLS)"));
}

TEST_F(TlsTest, PlaintextOnLoopbackIsServedAndSaysSo) {
  auto server = StartServer({});
  ASSERT_NE(server, nullptr);
  ExpectServing(PlaintextChannel(server->address()));
  const ExitInfo exit = server->Stop(SIGTERM);
  EXPECT_THAT(exit.output, HasSubstr("(plaintext)"));
}

TEST_F(TlsTest, PlaintextOnAllInterfacesIsRefused) {
  const ExitInfo exit = ServerProcess::RunToExit(
      {"--listen=0.0.0.0:0", "--data_dir=" + data_dir_.path() + "/data"},
      absl::Seconds(15));
  EXPECT_TRUE(exit.exited) << exit.output;
  EXPECT_NE(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("--allow_insecure_remote"));
  EXPECT_THAT(exit.output, HasSubstr("0.0.0.0:0"));
}

TEST_F(TlsTest, PlaintextOnAllInterfacesWhenForced) {
  // ServerProcess passes --listen=127.0.0.1:0 first; the later flag wins.
  auto server = StartServer({"--listen=0.0.0.0:0", "--allow_insecure_remote"});
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(server->address(), StartsWith("0.0.0.0:"));
  const std::string port =
      server->address().substr(server->address().rfind(':') + 1);
  ExpectServing(PlaintextChannel("127.0.0.1:" + port));
  const ExitInfo exit = server->Stop(SIGTERM);
  EXPECT_TRUE(exit.exited && exit.exit_code == 0) << exit.output;
}

TEST_F(TlsTest, TlsOnAllInterfacesIsServed) {
  auto server =
      StartServer({"--listen=0.0.0.0:0", TlsFlags()[0], TlsFlags()[1]});
  ASSERT_NE(server, nullptr);
  const std::string port =
      server->address().substr(server->address().rfind(':') + 1);
  ExpectServing(TlsChannel("127.0.0.1:" + port, {.trusted_ca = "ca"}));
}

TEST_F(TlsTest, CertificateWithoutKeyIsRefused) {
  const ExitInfo exit = ServerProcess::RunToExit(
      {"--listen=127.0.0.1:0", "--data_dir=" + data_dir_.path() + "/data",
       TlsFlags()[0]},
      absl::Seconds(15));
  EXPECT_TRUE(exit.exited) << exit.output;
  EXPECT_NE(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("--tls_key"));
}

TEST_F(TlsTest, NonPemCertificateIsRefused) {
  const std::string der = pki_->Path("server.der");
  OpenSsl({"x509", "-in", pki_->Path("server.pem"), "-outform", "der", "-out",
           der});
  const ExitInfo exit = ServerProcess::RunToExit(
      {"--listen=127.0.0.1:0", "--data_dir=" + data_dir_.path() + "/data",
       "--tls_cert=" + der, TlsFlags()[1]},
      absl::Seconds(15));
  EXPECT_TRUE(exit.exited) << exit.output;
  EXPECT_NE(exit.exit_code, 0) << exit.output;
  EXPECT_THAT(exit.output, HasSubstr("--tls_cert"));
  EXPECT_THAT(exit.output, HasSubstr("not PEM"));
}

}  // namespace
}  // namespace coopcraft::testing
