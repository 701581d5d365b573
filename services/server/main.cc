// coopcraftd: the CoopCraft back-office server.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "services/base/mutex_mode.h"
#include "services/server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "./var/coopcraft",
          "directory of the embedded RocksDB event log");
ABSL_FLAG(std::string, port_file, "",
          "when set, the bound host:port is written to this file once "
          "serving (for scripts and tests that listen on port 0)");
ABSL_FLAG(int32_t, command_threads, 16,
          "threads deciding the commands that must first read the log (the "
          "others are decided on gRPC's threads)");
ABSL_FLAG(int32_t, max_message_bytes, 4 << 20,
          "largest request accepted, in bytes; larger ones get "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int32_t, max_subscribers, 100,
          "concurrent event-stream subscriptions served; more are refused "
          "with RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may run after SIGINT/SIGTERM");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain to serve TLS with; empty serves plaintext, "
          "which is refused on non-loopback --listen addresses");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificate(s); when set, clients must present a "
          "certificate signed by it (mutual TLS)");
ABSL_FLAG(bool, allow_insecure_remote, false,
          "serve plaintext on a non-loopback --listen address anyway; only "
          "when another layer encrypts the link, as beneficiaries' personal "
          "data would otherwise cross the network in clear");

namespace {

// Writes atomically (rename) so a reader never sees a half-written address.
bool WritePortFile(const std::string& path, const std::string& address) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << address << "\n";
    if (!out.good()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  coopcraft::TurnOffMutexDeadlockDetection();
  absl::SetProgramUsageMessage(
      "coopcraftd --listen=127.0.0.1:50051 --data_dir=./var/coopcraft");
  absl::ParseCommandLine(argc, argv);

  // Block the stop signals in every thread (gRPC's included, as they inherit
  // this mask) so that only the sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  coopcraft::server::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.tls.allow_insecure_remote =
      absl::GetFlag(FLAGS_allow_insecure_remote);
  if (absl::GetFlag(FLAGS_command_threads) < 1 ||
      absl::GetFlag(FLAGS_command_threads) > 1024) {
    std::fprintf(stderr, "coopcraftd: --command_threads must be 1-1024\n");
    return 2;
  }
  options.command_threads =
      static_cast<size_t>(absl::GetFlag(FLAGS_command_threads));
  if (absl::GetFlag(FLAGS_max_subscribers) < 0 ||
      absl::GetFlag(FLAGS_max_subscribers) > 100000) {
    std::fprintf(stderr, "coopcraftd: --max_subscribers must be 0-100000\n");
    return 2;
  }
  options.max_subscribers =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_subscribers));
  if (absl::GetFlag(FLAGS_max_message_bytes) < 1024 ||
      absl::GetFlag(FLAGS_max_message_bytes) > (64 << 20)) {
    std::fprintf(stderr,
                 "coopcraftd: --max_message_bytes must be 1024-67108864\n");
    return 2;
  }
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  auto server = coopcraft::server::CoopcraftServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "coopcraftd: cannot start: %s\n",
                 server.status().ToString().c_str());
    return 1;
  }
  const std::string address = (*server)->bound_address();
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file);
      !port_file.empty() && !WritePortFile(port_file, address)) {
    std::fprintf(stderr, "coopcraftd: cannot write --port_file %s\n",
                 port_file.c_str());
    return 1;
  }
  // Said at startup so an operator sees at a glance what protects the port.
  const char* transport = options.tls.cert_file.empty()        ? "plaintext"
                          : options.tls.client_ca_file.empty() ? "TLS"
                                                               : "mutual TLS";
  std::printf("coopcraftd: serving on %s (%s), data in %s\n", address.c_str(),
              transport, options.data_dir.c_str());
  if (const std::string& token_file = (*server)->admin_token_file();
      !token_file.empty()) {
    // The secret itself never goes to a log: only where to find it.
    std::printf(
        "coopcraftd: first start: an ADMIN token was written to %s "
        "(readable by this user only); use it to create the others "
        "(AdminService.CreateToken)\n",
        token_file.c_str());
  }
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::printf("coopcraftd: received %s, shutting down\n",
              signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  std::printf("coopcraftd: stopped cleanly\n");
  return 0;
}
