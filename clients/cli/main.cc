// coopcraft: command-line client of coopcraftd.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "clients/channel/bearer_channel.h"
#include "clients/cli/commands.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "coopcraftd address");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "deadline of each call");
ABSL_FLAG(std::string, token_file, "",
          "file holding the bearer token (e.g. DATA_DIR/admin.token); "
          "default: the COOPCRAFT_TOKEN environment variable");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA of the server's certificate; connects with TLS when set");
ABSL_FLAG(bool, insecure_token_over_plaintext, false,
          "send the token without TLS to a non-loopback --server (only when "
          "another layer encrypts the link); refused otherwise");

namespace {

constexpr char kUsage[] =
    "coopcraft [--server=HOST:PORT] [--timeout=5s] [--token_file=FILE]\n"
    "          [--tls_ca=FILE] [--insecure_token_over_plaintext] COMMAND\n"
    "commands:\n"
    "  status    health and identity of the server\n"
    "  audit export --out=FILE [--from=N] [--to=N]\n"
    "            save the log's records with their hashes\n"
    "  audit verify-chain [--from=N] [--to=N]\n"
    "            the server checks its chain; prints the range, head hash\n"
    "  audit verify [--expect_first=N] [--expect_last=N]\n"
    "      [--expect_anchor_hash=HEX] [--expect_head_hash=HEX] FILE\n"
    "            check an export's hash chain offline (no server); prints\n"
    "            the range it covers, its anchor and its head hash\n"
    "a token is only sent without TLS to a loopback --server\n";

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
  coopcraft::cli::GlobalOptions options{
      .server = absl::GetFlag(FLAGS_server),
      .timeout = absl::GetFlag(FLAGS_timeout),
      .tls_ca_file = absl::GetFlag(FLAGS_tls_ca),
      .insecure_token_over_plaintext =
          absl::GetFlag(FLAGS_insecure_token_over_plaintext)};
  // A file or the environment, never a flag: command lines are visible to
  // every user of the machine.
  if (const std::string path = absl::GetFlag(FLAGS_token_file); !path.empty()) {
    absl::StatusOr<std::string> token = coopcraft::clients::ReadTokenFile(path);
    if (!token.ok()) {
      std::fprintf(stderr, "coopcraft: %s\n",
                   std::string(token.status().message()).c_str());
      return 2;
    }
    options.token = *std::move(token);
  } else if (const char* env = std::getenv("COOPCRAFT_TOKEN"); env != nullptr) {
    options.token = env;
  }
  if (command == "status") return coopcraft::cli::RunStatus(options, args);
  if (command == "audit") return coopcraft::cli::RunAudit(options, args);
  std::fprintf(stderr, "coopcraft: unknown command '%s'\n%s", command.c_str(),
               kUsage);
  return 2;
}
