// Two clients on their own connections writing the same project at once:
// an expected revision lets exactly one of them win each race, the other
// gets ABORTED, and no accepted event is lost.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <latch>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/programme/programme_server.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kCall[] = "call-race";
constexpr char kProject[] = "app-race";
constexpr int kRounds = 40;

struct Race {
  grpc::Status first;
  grpc::Status second;
  v1::WriteResult first_result;
  v1::WriteResult second_result;
};

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ProgrammeServer::Start();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->client().Call(OpenCall(kCall)).ok());
    ASSERT_TRUE(
        OpenProjectThroughSelection(server_->client(), kCall, kProject).ok());
    first_ = server_->NewClient();
    second_ = server_->NewClient();
  }

  // Both clients log an action of their own at the same moment; with
  // `expected` set, each demands that revision of the project.
  Race LogAtOnce(int round, std::optional<uint64_t> expected) {
    v1::LogActionRequest a = LogAction(kProject, absl::StrCat("a-", round));
    v1::LogActionRequest b = LogAction(kProject, absl::StrCat("b-", round));
    if (expected.has_value()) {
      a.mutable_expected_revision()->set_exact(*expected);
      b.mutable_expected_revision()->set_exact(*expected);
    }
    Race race;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      race.second = second_->Send(b, &race.second_result);
    });
    start.arrive_and_wait();
    race.first = first_->Send(a, &race.first_result);
    other.join();
    return race;
  }

  std::unique_ptr<ProgrammeServer> server_;
  std::unique_ptr<ProgrammeClient> first_;
  std::unique_ptr<ProgrammeClient> second_;
};

TEST_F(ConcurrencyTest, SameExpectedRevisionLetsExactlyOneClientWin) {
  uint64_t revision = 0;  // ProjectOpened
  for (int round = 0; round < kRounds; ++round) {
    Race race = LogAtOnce(round, revision);
    ASSERT_NE(race.first.ok(), race.second.ok()) << "round " << round;
    const grpc::Status& loser = race.first.ok() ? race.second : race.first;
    EXPECT_EQ(loser.error_code(), grpc::StatusCode::ABORTED);
    EXPECT_THAT(loser.error_message(),
                HasSubstr(absl::StrCat("at revision ", revision + 1)));
    EXPECT_EQ(ErrorReason(loser), "REVISION_CONFLICT");
    EXPECT_EQ(ErrorMetadata(loser, "current_revision"),
              absl::StrCat(revision + 1));
    const v1::WriteResult& won =
        race.first.ok() ? race.first_result : race.second_result;
    EXPECT_EQ(won.stream_revision(), ++revision);
  }
}

TEST_F(ConcurrencyTest, NoAcceptedEventIsLostWhenRacesAreLost) {
  const uint64_t head = server_->Head();
  int accepted = 0;
  uint64_t revision = 0;
  for (int round = 0; round < kRounds; ++round) {
    Race race = LogAtOnce(round, revision);
    accepted += race.first.ok() + race.second.ok();
    revision = std::max(race.first_result.stream_revision(),
                        race.second_result.stream_revision());
  }
  EXPECT_EQ(accepted, kRounds);
  EXPECT_EQ(server_->Head(), head + kRounds);
  EXPECT_EQ(revision, static_cast<uint64_t>(kRounds));
}

TEST_F(ConcurrencyTest, WithoutExpectedRevisionBothClientsAreServed) {
  const uint64_t head = server_->Head();
  for (int round = 0; round < kRounds; ++round) {
    Race race = LogAtOnce(round, std::nullopt);
    ASSERT_TRUE(race.first.ok()) << race.first.error_message();
    ASSERT_TRUE(race.second.ok()) << race.second.error_message();
  }
  EXPECT_EQ(server_->Head(), head + 2 * kRounds);
}

}  // namespace
}  // namespace coopcraft::testing
