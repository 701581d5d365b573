// coopcraft: command-line client of coopcraftd.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "clients/cli/commands.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "coopcraftd address");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "deadline of each call");

namespace {

constexpr char kUsage[] =
    "coopcraft [--server=HOST:PORT] [--timeout=5s] COMMAND\n"
    "commands:\n"
    "  status    health and identity of the server\n"
    "  audit export --out=FILE [--from=N] [--to=N]\n"
    "            save the log's records with their hashes\n"
    "  audit verify FILE\n"
    "            check an export's hash chain offline (no server)\n";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = rest[1];
  const std::vector<std::string> args(rest.begin() + 2, rest.end());
  const coopcraft::cli::GlobalOptions options{
      .server = absl::GetFlag(FLAGS_server),
      .timeout = absl::GetFlag(FLAGS_timeout)};
  if (command == "status") return coopcraft::cli::RunStatus(options, args);
  if (command == "audit") return coopcraft::cli::RunAudit(options, args);
  std::fprintf(stderr, "coopcraft: unknown command '%s'\n%s", command.c_str(),
               kUsage);
  return 2;
}
