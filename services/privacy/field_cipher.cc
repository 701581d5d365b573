// AES-256-GCM through OpenSSL's EVP interface.
#include "services/privacy/field_cipher.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace coopcraft::privacy {
namespace {

// EVP's lengths are ints; no personal field comes near this bound, so a
// larger input is a caller bug rather than something to split.
constexpr size_t kMaxInputSize = size_t{1} << 30;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* MutableBytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}

// OpenSSL queues errors per thread; a failure we turn into a Status must not
// leave them behind for an unrelated later caller to misread.
absl::Status OpenSslError(std::string_view what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  char reason[256] = "no OpenSSL error queued";
  if (code != 0) ERR_error_string_n(code, reason, sizeof(reason));
  return absl::InternalError(
      absl::StrCat("AES-256-GCM ", std::string(what), " failed: ", reason));
}

// Creates a context set up for `encrypt`ing (or decrypting) with `key` and
// `nonce`, with `associated_data` already fed in.
absl::StatusOr<CipherCtx> NewGcmContext(bool encrypt, const DataKey& key,
                                        const unsigned char* nonce,
                                        std::string_view associated_data) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return OpenSslError("context allocation");
  const int enc = encrypt ? 1 : 0;
  int unused = 0;
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr,
                        enc) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN,
                          static_cast<int>(kNonceSize), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce, enc) !=
          1 ||
      EVP_CipherUpdate(ctx.get(), nullptr, &unused, Bytes(associated_data),
                       static_cast<int>(associated_data.size())) != 1) {
    return OpenSslError("initialisation");
  }
  return ctx;
}

}  // namespace

absl::StatusOr<DataKey> NewDataKey() {
  DataKey key;
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    OPENSSL_cleanse(key.data(), key.size());
    return OpenSslError("key generation (RAND_bytes)");
  }
  return key;
}

absl::StatusOr<std::string> SealField(const DataKey& key,
                                      std::string_view plaintext,
                                      std::string_view associated_data) {
  if (plaintext.size() > kMaxInputSize ||
      associated_data.size() > kMaxInputSize) {
    return absl::InvalidArgumentError(
        "SealField: plaintext and associated data are limited to 1 GiB");
  }
  std::string sealed(kNonceSize + plaintext.size() + kTagSize, '\0');
  unsigned char* nonce = MutableBytes(sealed);
  unsigned char* out = nonce + kNonceSize;
  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) {
    return OpenSslError("nonce generation (RAND_bytes)");
  }
  absl::StatusOr<CipherCtx> ctx =
      NewGcmContext(/*encrypt=*/true, key, nonce, associated_data);
  if (!ctx.ok()) return ctx.status();
  int written = 0;
  int final_written = 0;
  if (EVP_EncryptUpdate(ctx->get(), out, &written, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx->get(), out + written, &final_written) != 1 ||
      static_cast<size_t>(written + final_written) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG,
                          static_cast<int>(kTagSize),
                          out + plaintext.size()) != 1) {
    return OpenSslError("encryption");
  }
  return sealed;
}

absl::StatusOr<std::string> OpenField(const DataKey& key,
                                      std::string_view sealed,
                                      std::string_view associated_data) {
  if (sealed.size() < kSealedOverhead) {
    return absl::DataLossError(absl::StrCat(
        "sealed personal field is ", sealed.size(), " bytes; at least ",
        kSealedOverhead, " (nonce and tag) expected"));
  }
  if (sealed.size() > kMaxInputSize + kSealedOverhead ||
      associated_data.size() > kMaxInputSize) {
    return absl::DataLossError("sealed personal field exceeds 1 GiB");
  }
  const size_t ciphertext_size = sealed.size() - kSealedOverhead;
  std::string_view ciphertext = sealed.substr(kNonceSize, ciphertext_size);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer.
  unsigned char tag[kTagSize];
  std::copy_n(Bytes(sealed.substr(kNonceSize + ciphertext_size)), kTagSize,
              tag);

  absl::StatusOr<CipherCtx> ctx = NewGcmContext(
      /*encrypt=*/false, key, Bytes(sealed), associated_data);
  if (!ctx.ok()) return ctx.status();
  std::string plaintext(ciphertext_size, '\0');
  int written = 0;
  if (EVP_DecryptUpdate(ctx->get(), MutableBytes(plaintext), &written,
                        Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG,
                          static_cast<int>(kTagSize), tag) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return OpenSslError("decryption");
  }
  int final_written = 0;
  if (EVP_DecryptFinal_ex(ctx->get(), MutableBytes(plaintext) + written,
                          &final_written) != 1) {
    // The tag did not verify: what was decrypted is unauthenticated and must
    // not linger in memory either.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    ERR_clear_error();
    return absl::DataLossError(
        "sealed personal field failed authentication (wrong key, wrong "
        "context or altered bytes)");
  }
  if (static_cast<size_t>(written + final_written) != ciphertext_size) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::InternalError("AES-256-GCM decryption: unexpected length");
  }
  return plaintext;
}

}  // namespace coopcraft::privacy
