// One digest context per thread, reused for every hash on that thread.
#include "services/base/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace coopcraft {
namespace {

class ThreadSha256 {
 public:
  ThreadSha256()
      : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    // Records, request ids and tokens are all hashed with SHA-256: without
    // it nothing can be written or authenticated, so fail loudly rather
    // than return wrong digests.
    if (md_ == nullptr || ctx_ == nullptr) std::abort();
  }
  ~ThreadSha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  ThreadSha256(const ThreadSha256&) = delete;
  ThreadSha256& operator=(const ThreadSha256&) = delete;

  Sha256Digest Hash(std::initializer_list<std::string_view> parts) {
    Sha256Digest digest;
    unsigned int size = 0;
    bool ok = EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1;
    for (std::string_view part : parts) {
      ok = ok && EVP_DigestUpdate(ctx_, part.data(), part.size()) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx_, digest.data(), &size) == 1;
    if (!ok || size != kSha256Size) std::abort();
    return digest;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

}  // namespace

Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  thread_local ThreadSha256 hasher;
  return hasher.Hash(parts);
}

std::string Sha256Bytes(std::initializer_list<std::string_view> parts) {
  const Sha256Digest digest = Sha256(parts);
  return std::string(reinterpret_cast<const char*>(digest.data()),
                     digest.size());
}

}  // namespace coopcraft
