// First-start ADMIN token.
#include "services/server/bootstrap_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"

namespace coopcraft::server {
namespace {

absl::Status Failed(const std::string& path, const char* what) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot write the admin token file ", path, ": ", what, ": ",
                   std::strerror(errno)));
}

// Writes `content` to `path` readable by the owner only, durably, and
// atomically (a reader never sees half a secret).
absl::Status WriteOwnerOnly(const std::string& path,
                            const std::string& content) {
  const std::string tmp = path + ".tmp";
  unlink(tmp.c_str());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      S_IRUSR | S_IWUSR);
  if (fd < 0) return Failed(tmp, "open");
  // The umask cannot widen 0600, but an inherited ACL default could.
  bool ok = fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  size_t written = 0;
  while (ok && written < content.size()) {
    const ssize_t n =
        write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  if (close(fd) != 0) ok = false;
  if (!ok) {
    absl::Status failed = Failed(tmp, "write");
    unlink(tmp.c_str());
    return failed;
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) return Failed(path, "rename");
  // The rename is durable only once the directory is: without this sync a
  // power cut could keep the token (stored with a synced write next) and
  // lose the file, leaving nobody an ADMIN secret.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd =
      open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Failed(dir, "open directory");
  const bool synced = fsync(dir_fd) == 0;
  const int sync_errno = errno;
  close(dir_fd);
  if (!synced) {
    errno = sync_errno;
    return Failed(dir, "sync directory");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> BootstrapAdminToken(auth::TokenStore& tokens,
                                                const std::string& data_dir) {
  if (!tokens.empty()) return std::string();
  absl::StatusOr<std::string> secret = auth::TokenStore::NewSecret();
  if (!secret.ok()) return secret.status();
  const std::string path = absl::StrCat(data_dir, "/", kAdminTokenFile);
  if (absl::Status written = WriteOwnerOnly(path, *secret + "\n");
      !written.ok()) {
    return written;
  }
  absl::StatusOr<auth::IssuedToken> issued =
      tokens.Create("bootstrap-admin", coopcraft::v1::ROLE_ADMIN, "",
                    "coopcraftd first start", *std::move(secret));
  if (!issued.ok()) return issued.status();
  return path;
}

}  // namespace coopcraft::server
