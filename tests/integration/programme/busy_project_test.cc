// A burst of commands on one project, on a coopcraftd with only two command
// workers: the commands waiting for that project must not hold the workers,
// so a command on another project is served while the burst drains, and
// every command of the burst is applied in turn.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

constexpr char kCall[] = "call-burst";
constexpr char kBusy[] = "app-busy";
constexpr char kQuiet[] = "app-quiet";
constexpr int kBurst = 40;

// Calls in flight at once on one channel; records the order they finish in.
class Completions {
 public:
  struct Call {
    grpc::ClientContext context;
    v1::LogActionRequest request;
    v1::LogActionResponse response;
    grpc::Status status;
    int finished_as = -1;  // 0 for the first call to finish
  };

  // Starts LogAction `action_id` on `project`.
  void Start(const ProgrammeClient& client, const std::string& project,
             const std::string& action_id) {
    auto call = std::make_unique<Call>();
    call->request = LogAction(project, action_id);
    call->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    Call* raw = call.get();
    {
      absl::MutexLock lock(&mu_);
      calls_.push_back(std::move(call));
    }
    client.project().async()->LogAction(&raw->context, &raw->request,
                                        &raw->response,
                                        [this, raw](grpc::Status status) {
                                          absl::MutexLock lock(&mu_);
                                          raw->status = std::move(status);
                                          raw->finished_as = finished_++;
                                        });
  }

  // Waits for every call started; false after 60 s.
  bool AwaitAll() {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(
        absl::Condition(
            +[](Completions* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
              return self->finished_ == static_cast<int>(self->calls_.size());
            },
            this),
        absl::Seconds(60));
  }

  // Valid once AwaitAll returned true.
  const Call& call(size_t i) const { return *calls_[i]; }

 private:
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Call>> calls_ ABSL_GUARDED_BY(mu_);
  int finished_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(BusyProjectTest, ABurstOnOneProjectDoesNotHoldUpAnother) {
  auto server = ProgrammeServer::Start({"--command_threads=2"});
  ASSERT_NE(server, nullptr);
  const ProgrammeClient& client = server->client();
  ASSERT_TRUE(client.Call(OpenCall(kCall)).ok());
  ASSERT_TRUE(OpenProjectThroughSelection(client, kCall, kBusy).ok());
  ASSERT_TRUE(OpenProjectThroughSelection(client, kCall, kQuiet).ok());
  const uint64_t head = server->Head();

  Completions completions;
  for (int i = 0; i < kBurst; ++i) {
    completions.Start(client, kBusy, absl::StrCat("burst-", i));
  }
  completions.Start(client, kQuiet, "while-busy");
  ASSERT_TRUE(completions.AwaitAll());

  std::vector<uint64_t> busy_revisions;
  for (int i = 0; i < kBurst; ++i) {
    const Completions::Call& call = completions.call(i);
    ASSERT_TRUE(call.status.ok()) << i << ": " << call.status.error_message();
    busy_revisions.push_back(call.response.result().stream_revision());
  }
  const Completions::Call& quiet = completions.call(kBurst);
  ASSERT_TRUE(quiet.status.ok()) << quiet.status.error_message();
  // Waiting on the busy project's workers, it would have finished behind
  // nearly the whole burst; served by a free worker, it lands within the
  // first few commits.
  EXPECT_LT(quiet.finished_as, kBurst / 2);
  EXPECT_EQ(quiet.response.result().stream_revision(), 1u);

  // Every command of the burst was applied once, on its own revision.
  std::sort(busy_revisions.begin(), busy_revisions.end());
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(busy_revisions[i], static_cast<uint64_t>(i + 1));
  }
  EXPECT_EQ(server->Head(), head + kBurst + 1);
  server->ExpectCleanStop();
}

}  // namespace
}  // namespace coopcraft::testing
