// ServerProcess: fork/exec of coopcraftd with output captured to a file.
#include "tests/support/server_process.h"

#include <fcntl.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clients/channel/bearer_channel.h"

namespace coopcraft::testing {
namespace {

// Forks and execs `path args...` with stdout and stderr appended to
// `output_path`. Returns the child's pid or -1.
pid_t Spawn(const std::string& path, const std::vector<std::string>& args,
            const std::string& output_path) {
  std::vector<std::string> argv_storage;
  argv_storage.push_back(path);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int fd = open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  execv(path.c_str(), argv.data());
  std::perror("execv");
  _exit(127);
}

// Waits for `pid` until `deadline`; SIGKILLs it past the deadline.
ExitInfo Reap(pid_t pid, absl::Time deadline) {
  ExitInfo info;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (WIFEXITED(status)) {
    info.exited = true;
    info.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    info.signal = WTERMSIG(status);
  }
  return info;
}

}  // namespace

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ExitInfo RunProgram(const std::string& path,
                    const std::vector<std::string>& args,
                    absl::Duration timeout) {
  char output_template[] = "/tmp/coopcraft-run-XXXXXX";
  const int fd = mkstemp(output_template);
  if (fd >= 0) close(fd);
  const pid_t pid = Spawn(path, args, output_template);
  ExitInfo info = Reap(pid, absl::Now() + timeout);
  info.output = ReadFileOrEmpty(output_template);
  unlink(output_template);
  return info;
}

ExitInfo ServerProcess::RunToExit(const std::vector<std::string>& flags,
                                  absl::Duration timeout) {
  return RunProgram(COOPCRAFTD_PATH, flags, timeout);
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const ServerProcessOptions& options) {
  auto process = std::unique_ptr<ServerProcess>(new ServerProcess());
  const std::string port_file = options.data_dir + ".port";
  process->log_path_ = options.data_dir + ".out";
  process->data_dir_ = options.data_dir;
  unlink(port_file.c_str());

  std::vector<std::string> args = {"--listen=127.0.0.1:0",
                                   "--data_dir=" + options.data_dir,
                                   "--port_file=" + port_file};
  args.insert(args.end(), options.extra_flags.begin(),
              options.extra_flags.end());
  process->pid_ = Spawn(COOPCRAFTD_PATH, args, process->log_path_);
  if (process->pid_ < 0) return absl::InternalError("fork failed");

  const absl::Time deadline = absl::Now() + options.startup_timeout;
  while (absl::Now() < deadline) {
    std::string address = ReadFileOrEmpty(port_file);
    if (!address.empty() && address.back() == '\n') {
      process->address_ = std::string(absl::StripSuffix(address, "\n"));
      return process;
    }
    int status = 0;
    if (waitpid(process->pid_, &status, WNOHANG) == process->pid_) {
      process->pid_ = -1;
      return absl::FailedPreconditionError(
          absl::StrCat("coopcraftd exited during startup: ",
                       ReadFileOrEmpty(process->log_path_)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("coopcraftd did not report its port: ",
                   ReadFileOrEmpty(process->log_path_)));
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

std::shared_ptr<grpc::Channel> ServerProcess::Channel() const {
  return ChannelWithToken(AdminToken());
}

std::shared_ptr<grpc::Channel> ServerProcess::ChannelWithToken(
    const std::string& token) const {
  return clients::BearerChannel(address_, token);
}

std::string ServerProcess::AdminTokenFile() const {
  return data_dir_ + "/admin.token";
}

std::string ServerProcess::AdminToken() const {
  return std::string(
      absl::StripAsciiWhitespace(ReadFileOrEmpty(AdminTokenFile())));
}

ExitInfo ServerProcess::Stop(int signal, absl::Duration timeout) {
  ExitInfo info;
  if (pid_ <= 0) return info;
  kill(pid_, signal);
  info = Reap(pid_, absl::Now() + timeout);
  pid_ = -1;
  info.output = ReadFileOrEmpty(log_path_);
  return info;
}

}  // namespace coopcraft::testing
