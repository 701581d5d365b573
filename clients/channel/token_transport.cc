// Loopback test of a gRPC target (its naming syntax, not just "host:port")
// and the token-over-plaintext decision. Whatever this cannot parse counts
// as remote: a wrong "remote" only asks for a flag, a wrong "loopback"
// sends a credential in clear.
#include "clients/channel/token_transport.h"

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/base/loopback.h"

namespace coopcraft::clients {
namespace {

// A literal loopback address; "localhost" is a name, not an address.
bool IsLoopbackIp(const std::string& host) {
  return absl::AsciiStrToLower(host) != "localhost" && IsLoopbackHost(host);
}

bool IsPort(std::string_view port) {
  for (char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The host of "host:port", "[v6]:port", "[v6]" or "host"; empty when the
// text is none of these. An unbracketed text with several colons is
// returned whole: it can only be a bare IPv6 address, and guessing where a
// port starts could turn something else into a loopback.
std::string HostOf(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string_view::npos) return "";
    std::string_view rest = address.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !IsPort(rest.substr(1)))) {
      return "";
    }
    return std::string(address.substr(1, close - 1));
  }
  const size_t colon = address.find(':');
  if (colon == std::string_view::npos) return std::string(address);
  if (address.find(':', colon + 1) != std::string_view::npos) {
    return std::string(address);
  }
  if (!IsPort(address.substr(colon + 1))) return "";
  return std::string(address.substr(0, colon));
}

// "ipv4:" / "ipv6:" targets: a comma-separated list of literal addresses,
// every one of which must be loopback.
bool IsLoopbackList(std::string_view list) {
  if (list.empty()) return false;
  for (absl::string_view element :
       absl::StrSplit(absl::string_view(list.data(), list.size()), ',')) {
    if (!IsLoopbackIp(
            HostOf(std::string_view(element.data(), element.size())))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsLoopbackAddress(const std::string& target) {
  const std::string_view text = target;
  // Local sockets never leave the machine.
  if (absl::StartsWith(target, "unix:") ||
      absl::StartsWith(target, "unix-abstract:")) {
    return true;
  }
  if (absl::StartsWith(target, "ipv4:") || absl::StartsWith(target, "ipv6:")) {
    return IsLoopbackList(text.substr(5));
  }
  std::string_view address = text;
  if (absl::StartsWith(target, "dns:")) {
    address = text.substr(4);
    if (address.substr(0, 2) == "//") {
      // "dns://SERVER/host": SERVER, not this machine, says where host is.
      const size_t slash = address.find('/', 2);
      if (slash != 2) return false;
      address = address.substr(3);
    }
  }
  // Any other "scheme:" is not a resolver gRPC knows, so gRPC reads the
  // whole target as "host:port", as HostOf does.
  return IsLoopbackHost(HostOf(address));
}

absl::Status CheckTokenTransport(const std::string& target, bool has_token,
                                 bool tls, bool insecure_token_over_plaintext) {
  if (!has_token || tls || insecure_token_over_plaintext ||
      IsLoopbackAddress(target)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to send the bearer token in clear to ", target,
      ", which is not a loopback address: anyone on the path could read it "
      "and act with its role. Give --tls_ca=PEM to connect with TLS, use "
      "127.0.0.1 (e.g. through an SSH tunnel), or, if another layer "
      "encrypts the link, pass --insecure_token_over_plaintext"));
}

}  // namespace coopcraft::clients
