// `coopcraft audit export --out FILE` saves the log (AuditService.ExportLog);
// `coopcraft audit verify FILE` checks an export's hash chain offline and
// `coopcraft audit verify-chain` asks the server to check its own. Both
// verifies print the range and the hashes at its ends: a chain proves that
// its records link, not that nothing was cut off either end or rewritten and
// re-hashed, which only comparing those hashes with the server's (or a
// previous export's, or a published head hash) shows.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/commands.h"
#include "coopcraft/v1/audit_service.grpc.pb.h"
#include "storage/export_verifier.h"
#include "storage/record_hash.h"

// Flags of the audit subcommands. Abseil parses every flag of the command
// line, so they are defined here rather than parsed from the subcommand's
// arguments.
ABSL_FLAG(std::string, out, "", "audit export: file to write");
ABSL_FLAG(uint64_t, from, 0,
          "audit export, verify-chain: first position (0: 1)");
ABSL_FLAG(uint64_t, to, 0,
          "audit export, verify-chain: last position (0: the head)");
ABSL_FLAG(uint64_t, expect_first, 0,
          "audit verify: fail unless the file starts at this position "
          "(0: not checked)");
ABSL_FLAG(uint64_t, expect_last, 0,
          "audit verify: fail unless the file ends at this position, e.g. "
          "the server's head_position (0: not checked)");
ABSL_FLAG(std::string, expect_anchor_hash, "",
          "audit verify: fail unless the first record links to this hash "
          "(hex), e.g. the head_hash of the export before it");
ABSL_FLAG(std::string, expect_head_hash, "",
          "audit verify: fail unless the last record's hash is this (hex), "
          "e.g. the server's head_hash from `audit verify-chain`");

namespace coopcraft::cli {
namespace {

constexpr char kAuditUsage[] =
    "usage: coopcraft audit verify [--expect_first=N] [--expect_last=N]\n"
    "           [--expect_anchor_hash=HEX] [--expect_head_hash=HEX] FILE\n"
    "       coopcraft audit verify-chain [--from=N] [--to=N]\n"
    "       coopcraft audit export --out=FILE [--from=N] [--to=N]\n";

int Usage() {
  std::fputs(kAuditUsage, stderr);
  return 2;
}

std::string Hex(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

// The flag's hash as lowercase hex; empty when not given. INVALID_ARGUMENT
// unless it is a SHA-256 in hex.
absl::StatusOr<std::string> ExpectedHash(std::string_view flag,
                                         const std::string& value) {
  if (value.empty()) return std::string();
  bool hex = value.size() == 2 * storage::kHashSize;
  for (char c : value) {
    hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  }
  if (!hex) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", absl::string_view(flag.data(), flag.size()),
                     " must be ", 2 * storage::kHashSize,
                     " hex digits (a SHA-256), got \"", value, "\""));
  }
  return absl::AsciiStrToLower(value);
}

// The range lines shared by both verifies. `anchor_hash` is null when the
// anchor is not known (verify-chain).
void PrintRange(uint64_t first, uint64_t last, const std::string* anchor_hash,
                std::string_view head_hash) {
  std::printf("first_position=%llu\n", static_cast<unsigned long long>(first));
  std::printf("last_position=%llu\n", static_cast<unsigned long long>(last));
  if (anchor_hash != nullptr) {
    std::printf("anchor_prev_hash=%s\n", Hex(*anchor_hash).c_str());
  }
  std::printf("head_hash=%s\n", Hex(head_hash).c_str());
}

// A first_bad_position of 0 is an export whose first record does not tell
// its position (storage/export_verifier.h): "unknown", never a number an
// auditor could look up on the server.
void PrintBroken(uint64_t first_bad_position, const std::string& problem,
                 uint64_t verified_count) {
  const std::string position = first_bad_position == 0
                                   ? std::string("unknown")
                                   : absl::StrCat(first_bad_position);
  std::printf(
      "BROKEN first_bad_position=%s: %s (%llu good records "
      "before it)\n",
      position.c_str(), problem.c_str(),
      static_cast<unsigned long long>(verified_count));
}

// One --expect_* flag that does not hold: "MISMATCH NAME: the file has X,
// expected Y". Returns whether it held.
bool Holds(const char* name, const std::string& actual,
           const std::string& expected) {
  if (actual == expected) return true;
  std::printf("MISMATCH %s: the file has %s, expected %s\n", name,
              actual.c_str(), expected.c_str());
  return false;
}

int Verify(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage();
  const uint64_t expect_first = absl::GetFlag(FLAGS_expect_first);
  const uint64_t expect_last = absl::GetFlag(FLAGS_expect_last);
  absl::StatusOr<std::string> expect_anchor = ExpectedHash(
      "expect_anchor_hash", absl::GetFlag(FLAGS_expect_anchor_hash));
  absl::StatusOr<std::string> expect_head =
      ExpectedHash("expect_head_hash", absl::GetFlag(FLAGS_expect_head_hash));
  for (const auto* expected : {&expect_anchor, &expect_head}) {
    if (!expected->ok()) {
      std::fprintf(stderr, "coopcraft: %s\n",
                   std::string(expected->status().message()).c_str());
      return 2;
    }
  }

  std::ifstream in(args[0], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "coopcraft: cannot open %s\n", args[0].c_str());
    return static_cast<int>(grpc::StatusCode::NOT_FOUND);
  }
  absl::StatusOr<storage::ExportVerification> result =
      storage::VerifyExport(in);
  if (!result.ok()) {
    std::fprintf(stderr, "coopcraft: %s: %s\n", args[0].c_str(),
                 std::string(result.status().message()).c_str());
    return static_cast<int>(result.status().code());
  }
  if (result->first_bad_position) {
    PrintBroken(*result->first_bad_position, result->problem,
                result->verified_count);
  } else {
    std::printf("OK %llu records\n",
                static_cast<unsigned long long>(result->verified_count));
  }
  if (result->verified_count > 0) {
    PrintRange(result->first_position, result->head_position,
               &result->anchor_hash, result->head_hash);
    if (result->first_position > 1) {
      // Legitimate for a ranged export, but never to be taken for the
      // whole log: nothing in the file vouches for that anchor.
      std::printf(
          "PARTIAL starts at position %llu, anchored on prev_hash %s: "
          "positions 1..%llu are not in the file\n",
          static_cast<unsigned long long>(result->first_position),
          Hex(result->anchor_hash).c_str(),
          static_cast<unsigned long long>(result->first_position - 1));
    }
  }
  if (result->first_bad_position) {
    return static_cast<int>(grpc::StatusCode::DATA_LOSS);
  }

  // An empty file has no range: every expectation fails against "none".
  const bool any = result->verified_count > 0;
  auto position = [any](uint64_t p) {
    return any ? absl::StrCat(p) : std::string("none");
  };
  auto hash = [any](const std::string& h) {
    return any ? Hex(h) : std::string("none");
  };
  bool held = true;
  if (expect_first != 0) {
    held &= Holds("first_position", position(result->first_position),
                  absl::StrCat(expect_first));
  }
  if (expect_last != 0) {
    held &= Holds("last_position", position(result->head_position),
                  absl::StrCat(expect_last));
  }
  if (!expect_anchor->empty()) {
    held &=
        Holds("anchor_prev_hash", hash(result->anchor_hash), *expect_anchor);
  }
  if (!expect_head->empty()) {
    held &= Holds("head_hash", hash(result->head_hash), *expect_head);
  }
  return held ? 0 : static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION);
}

int VerifyChain(const GlobalOptions& options,
                const std::vector<std::string>& args) {
  if (!args.empty()) return Usage();
  coopcraft::v1::VerifyChainRequest request;
  request.set_from_position(absl::GetFlag(FLAGS_from));
  request.set_to_position(absl::GetFlag(FLAGS_to));
  auto channel = OpenChannel(options);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  coopcraft::v1::VerifyChainResponse response;
  grpc::Status status =
      coopcraft::v1::AuditService::NewStub(channel)->VerifyChain(
          &context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "coopcraft: VerifyChain failed: %d %s\n",
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    return static_cast<int>(status.error_code());
  }
  if (response.ok()) {
    std::printf("OK %llu records\n",
                static_cast<unsigned long long>(response.verified_count()));
  } else {
    PrintBroken(response.first_bad_position(), response.problem(),
                response.verified_count());
  }
  if (response.verified_count() > 0) {
    PrintRange(std::max<uint64_t>(1, request.from_position()),
               response.head_position(), nullptr, response.head_hash());
  }
  return response.ok() ? 0 : static_cast<int>(grpc::StatusCode::DATA_LOSS);
}

// The export's output, written with write(2) so that every error (a full
// disk, a quota, EIO) surfaces where it happens rather than in a stream
// buffer nobody checks, and synced before success is reported: an auditor
// who is told "exported N records" must find N records on disk after a
// crash.
class ExportFile {
 public:
  // Creates or truncates `path`.
  static absl::StatusOr<ExportFile> Create(const std::string& path) {
    struct stat before;
    const bool existed = ::stat(path.c_str(), &before) == 0;
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return Error(errno, "cannot create ", path);
    ExportFile file(path, fd);
    struct stat info;
    if (::fstat(fd, &info) != 0) return Error(errno, "cannot stat ", path);
    // Pipes and devices (/dev/stdout) cannot be synced, nor removed.
    file.regular_ = S_ISREG(info.st_mode);
    file.created_ = !existed;
    return file;
  }

  ExportFile(ExportFile&& other) noexcept
      : path_(std::move(other.path_)),
        fd_(std::exchange(other.fd_, -1)),
        regular_(other.regular_),
        created_(other.created_) {}
  ExportFile& operator=(ExportFile&&) = delete;
  ~ExportFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  absl::Status Append(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        return Error(errno, "cannot write ", path_);
      }
      bytes.remove_prefix(static_cast<size_t>(written));
    }
    return absl::OkStatus();
  }

  // Syncs and closes the file, then syncs the directory of a new file so
  // its name survives a crash too.
  absl::Status Commit() {
    if (regular_ && ::fsync(fd_) != 0) {
      return Error(errno, "cannot sync ", path_);
    }
    const int fd = std::exchange(fd_, -1);
    // close() may report a write-back error that fsync did not.
    if (::close(fd) != 0) return Error(errno, "cannot close ", path_);
    if (!regular_ || !created_) return absl::OkStatus();
    const std::filesystem::path parent =
        std::filesystem::path(path_).parent_path();
    const std::string dir = parent.empty() ? std::string(".") : parent.string();
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return Error(errno, "cannot open the directory ", dir);
    const bool synced = ::fsync(dir_fd) == 0;
    const int sync_errno = errno;
    ::close(dir_fd);
    if (!synced) return Error(sync_errno, "cannot sync the directory ", dir);
    return absl::OkStatus();
  }

  // Removes what was written, so that a short file, whose chain still
  // verifies, is never left to pass for the export. False when there was
  // nothing to remove.
  bool Discard() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    return regular_ && ::unlink(path_.c_str()) == 0;
  }

 private:
  ExportFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  static absl::Status Error(int error, std::string_view what,
                            const std::string& name) {
    // An errno of 0 would map to OK; a failure must not.
    return absl::ErrnoToStatus(
        error == 0 ? EIO : error,
        absl::StrCat(absl::string_view(what.data(), what.size()), name));
  }

  std::string path_;
  int fd_ = -1;
  bool regular_ = false;
  bool created_ = false;
};

int ExportFailed(ExportFile& file, const std::string& out_path,
                 const absl::Status& status) {
  std::fprintf(stderr, "coopcraft: %s\n",
               std::string(status.message()).c_str());
  if (file.Discard()) {
    std::fprintf(stderr, "coopcraft: removed the incomplete %s\n",
                 out_path.c_str());
  }
  return static_cast<int>(status.code());
}

int Export(const GlobalOptions& options, const std::vector<std::string>& args) {
  const std::string out_path = absl::GetFlag(FLAGS_out);
  if (!args.empty() || out_path.empty()) return Usage();
  coopcraft::v1::ExportLogRequest request;
  request.set_from_position(absl::GetFlag(FLAGS_from));
  request.set_to_position(absl::GetFlag(FLAGS_to));
  // Before the file: a refused token must not cost the user a previous
  // export of the same name.
  auto channel = OpenChannel(options);
  absl::StatusOr<ExportFile> file = ExportFile::Create(out_path);
  if (!file.ok()) {
    std::fprintf(stderr, "coopcraft: %s\n",
                 std::string(file.status().message()).c_str());
    return static_cast<int>(file.status().code());
  }
  {
    std::ostringstream header;
    if (absl::Status written = storage::WriteExportHeader(header);
        !written.ok()) {
      return ExportFailed(*file, out_path, written);
    }
    if (absl::Status written = file->Append(header.view()); !written.ok()) {
      return ExportFailed(*file, out_path, written);
    }
  }
  grpc::ClientContext context;
  // The deadline covers the whole export.
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  auto reader = coopcraft::v1::AuditService::NewStub(channel)->ExportLog(
      &context, request);
  coopcraft::v1::ExportLogResponse response;
  uint64_t count = 0;
  while (reader->Read(&response)) {
    // One write per message (at most about 1 MiB), not per record.
    std::ostringstream batch;
    absl::Status written;
    for (const auto& record : response.records()) {
      written = storage::WriteExportRecord(record, batch);
      if (!written.ok()) break;
    }
    if (written.ok()) written = file->Append(batch.view());
    if (!written.ok()) {
      context.TryCancel();
      while (reader->Read(&response)) {
      }
      reader->Finish();
      return ExportFailed(*file, out_path, written);
    }
    count += static_cast<uint64_t>(response.records_size());
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "coopcraft: ExportLog failed: %d %s\n",
                 static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    if (file->Discard()) {
      std::fprintf(stderr, "coopcraft: removed the incomplete %s\n",
                   out_path.c_str());
    }
    return static_cast<int>(status.error_code());
  }
  if (absl::Status committed = file->Commit(); !committed.ok()) {
    return ExportFailed(*file, out_path, committed);
  }
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
  if (args[0] == "verify-chain") return VerifyChain(options, rest);
  if (args[0] == "export") return Export(options, rest);
  return Usage();
}

}  // namespace coopcraft::cli
