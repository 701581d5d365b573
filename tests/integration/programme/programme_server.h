// A real coopcraftd on a fresh data directory with a ProgrammeClient to it,
// for the programme's integration tests.
#ifndef COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_PROGRAMME_SERVER_H_
#define COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_PROGRAMME_SERVER_H_

#include <signal.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/programme_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::testing {

class ProgrammeServer {
 public:
  // Starts coopcraftd with `extra_flags`; nullptr (and a test failure) when
  // it cannot start.
  static std::unique_ptr<ProgrammeServer> Start(
      std::vector<std::string> extra_flags = {}) {
    auto server = std::unique_ptr<ProgrammeServer>(new ProgrammeServer());
    auto process =
        ServerProcess::Start({.data_dir = server->dir_.path() + "/data",
                              .extra_flags = std::move(extra_flags)});
    if (!process.ok()) {
      ADD_FAILURE() << "coopcraftd did not start: " << process.status();
      return nullptr;
    }
    server->process_ = std::move(*process);
    server->client_ =
        std::make_unique<ProgrammeClient>(server->process_->Channel());
    return server;
  }

  // Shared by any number of threads.
  const ProgrammeClient& client() const { return *client_; }

  // A client on its own channel (its own connection), like another user.
  std::unique_ptr<ProgrammeClient> NewClient() const {
    return std::make_unique<ProgrammeClient>(process_->Channel());
  }

  // The log head; 0 and a test failure when the server does not answer.
  uint64_t Head() const {
    absl::StatusOr<uint64_t> head = client_->HeadPosition();
    EXPECT_TRUE(head.ok()) << head.status();
    return head.ok() ? *head : 0;
  }

  // SIGTERM; fails the test unless the server exits 0, so sanitizer reports
  // of the server (leaks, errors at shutdown) surface here.
  void ExpectCleanStop() {
    ExitInfo exit = process_->Stop(SIGTERM);
    EXPECT_TRUE(exit.exited && exit.exit_code == 0) << exit.output;
  }

 private:
  ProgrammeServer() = default;

  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<ProgrammeClient> client_;
};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_PROGRAMME_SERVER_H_
