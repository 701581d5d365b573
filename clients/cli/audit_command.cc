// `coopcraft audit export --out FILE` saves the log (AuditService.ExportLog);
// `coopcraft audit verify FILE` checks an export's hash chain offline.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <fstream>

#include "absl/flags/flag.h"
#include "clients/cli/commands.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "storage/export_verifier.h"

// Flags of `audit export`. Abseil parses every flag of the command line, so
// they are defined here rather than parsed from the subcommand's arguments.
ABSL_FLAG(std::string, out, "", "audit export: file to write");
ABSL_FLAG(uint64_t, from, 0, "audit export: first position (0: 1)");
ABSL_FLAG(uint64_t, to, 0, "audit export: last position (0: the head)");

namespace coopcraft::cli {
namespace {

constexpr char kAuditUsage[] =
    "usage: coopcraft audit verify FILE\n"
    "       coopcraft audit export --out=FILE [--from=N] [--to=N]\n";

int Usage() {
  std::fputs(kAuditUsage, stderr);
  return 2;
}

int Verify(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage();
  std::ifstream in(args[0], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "coopcraft: cannot open %s\n", args[0].c_str());
    return static_cast<int>(grpc::StatusCode::NOT_FOUND);
  }
  absl::StatusOr<storage::ChainVerification> result = storage::VerifyExport(in);
  if (!result.ok()) {
    std::fprintf(stderr, "coopcraft: %s: %s\n", args[0].c_str(),
                 std::string(result.status().message()).c_str());
    return static_cast<int>(result.status().code());
  }
  if (result->first_bad_position) {
    std::printf(
        "BROKEN first_bad_position=%llu: %s (%llu good records "
        "before it)\n",
        static_cast<unsigned long long>(*result->first_bad_position),
        result->problem.c_str(),
        static_cast<unsigned long long>(result->verified_count));
    return static_cast<int>(grpc::StatusCode::DATA_LOSS);
  }
  std::printf("OK %llu records\n",
              static_cast<unsigned long long>(result->verified_count));
  return 0;
}

int Export(const GlobalOptions& options, const std::vector<std::string>& args) {
  const std::string out_path = absl::GetFlag(FLAGS_out);
  if (!args.empty() || out_path.empty()) return Usage();
  coopcraft::v1::ExportLogRequest request;
  request.set_from_position(absl::GetFlag(FLAGS_from));
  request.set_to_position(absl::GetFlag(FLAGS_to));
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out || !storage::WriteExportHeader(out).ok()) {
    std::fprintf(stderr, "coopcraft: cannot write %s\n", out_path.c_str());
    return static_cast<int>(grpc::StatusCode::PERMISSION_DENIED);
  }
  auto channel = OpenChannel(options);
  grpc::ClientContext context;
  // The deadline covers the whole export.
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  auto reader = coopcraft::v1::AuditService::NewStub(channel)->ExportLog(
      &context, request);
  coopcraft::v1::ExportLogResponse response;
  uint64_t count = 0;
  while (reader->Read(&response)) {
    for (const auto& record : response.records()) {
      if (!storage::WriteExportRecord(record, out).ok()) {
        context.TryCancel();
        std::fprintf(stderr, "coopcraft: cannot write %s\n", out_path.c_str());
        return static_cast<int>(grpc::StatusCode::PERMISSION_DENIED);
      }
      ++count;
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "coopcraft: ExportLog failed: %d %s\n",
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    return static_cast<int>(status.error_code());
  }
  out.flush();
  std::printf("exported %llu records to %s\n",
              static_cast<unsigned long long>(count), out_path.c_str());
  return 0;
}

}  // namespace

int RunAudit(const GlobalOptions& options,
             const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "verify") return Verify(rest);
  if (args[0] == "export") return Export(options, rest);
  return Usage();
}

}  // namespace coopcraft::cli
