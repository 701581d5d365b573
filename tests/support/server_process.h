// ServerProcess: the real coopcraftd binary as a child process on a free
// loopback port, for integration tests.
#ifndef COOPCRAFT_TESTS_SUPPORT_SERVER_PROCESS_H_
#define COOPCRAFT_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <grpcpp/channel.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace coopcraft::testing {

struct ServerProcessOptions {
  // Data directory; the caller owns it (usually a TempDir).
  std::string data_dir;
  // Extra coopcraftd flags, e.g. "--shutdown_grace=1s".
  std::vector<std::string> extra_flags;
  // How long Start waits for the port file.
  absl::Duration startup_timeout = absl::Seconds(30);
};

// How a child process ended.
struct ExitInfo {
  bool exited = false;  // exited normally, with exit_code
  int exit_code = -1;
  int signal = 0;      // killed by this signal when !exited
  std::string output;  // stdout+stderr of the child
};

class ServerProcess {
 public:
  // Forks and execs coopcraftd --listen=127.0.0.1:0 and waits until it
  // reports its bound address. FAILED_PRECONDITION with the child's output
  // when it exits instead.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const ServerProcessOptions& options);

  // Runs coopcraftd to completion (for refusal tests): returns how it ended.
  static ExitInfo RunToExit(const std::vector<std::string>& flags,
                            absl::Duration timeout);

  // Kills the child with SIGKILL if it still runs.
  ~ServerProcess();

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  // A channel carrying the ADMIN token the first start wrote to the data
  // dir, so tests that are not about access control are not held up by it.
  std::shared_ptr<grpc::Channel> Channel() const;
  // A channel carrying `token` (none when empty).
  std::shared_ptr<grpc::Channel> ChannelWithToken(
      const std::string& token) const;
  // The bootstrap ADMIN token's secret and file.
  std::string AdminToken() const;
  std::string AdminTokenFile() const;

  // Sends `signal` and waits up to `timeout` for the child to end.
  ExitInfo Stop(int signal, absl::Duration timeout = absl::Seconds(30));

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  std::string address_;
  std::string data_dir_;
  std::string log_path_;
};

// Runs a program with arguments, capturing stdout+stderr.
ExitInfo RunProgram(const std::string& path,
                    const std::vector<std::string>& args,
                    absl::Duration timeout);

// Reads a whole file; empty when missing.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_SUPPORT_SERVER_PROCESS_H_
