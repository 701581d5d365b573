// What an AggregateRepository reads from the log, and where: nothing before
// a command on a state its own append left, and whatever it missed once the
// log shows a writer it did not see. A retried request is answered by the
// log, not looked up before every command. Called from a thread that must
// not read (ReadsOn::kScheduledThread), a command that needs a read goes to
// the scheduler instead.
#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tests/unit/app/repository_test_support.h"

namespace coopcraft::app {
namespace {

using domain::cohort::CohortState;
using testing::Context;
using testing::HeldTasks;
using testing::Meeting;
using testing::Repository;

// Forwards to a real log and counts the reads a repository makes.
class CountingLog final : public storage::EventLog {
 public:
  explicit CountingLog(storage::EventLog* log) : log_(log) {}

  int reads() const { return reads_.load(); }

  absl::StatusOr<storage::AppendResult> Append(
      std::string_view stream, const storage::ExpectedRevision& expected,
      std::vector<storage::NewEvent> events) override {
    return log_->Append(stream, expected, std::move(events));
  }
  void AppendAsync(std::string stream, storage::ExpectedRevision expected,
                   std::vector<storage::NewEvent> events,
                   AppendDone done) override {
    log_->AppendAsync(std::move(stream), expected, std::move(events),
                      std::move(done));
  }
  using storage::EventLog::ReadStream;
  absl::StatusOr<std::vector<v1::EventRecord>> ReadStream(
      std::string_view stream, uint64_t from_revision,
      storage::Direction direction, size_t max_count,
      size_t max_bytes) const override {
    ++reads_;
    return log_->ReadStream(stream, from_revision, direction, max_count,
                            max_bytes);
  }
  absl::StatusOr<storage::ReadAllResult> ReadAll(
      const storage::ReadAllOptions& options) const override {
    ++reads_;
    return log_->ReadAll(options);
  }
  absl::StatusOr<v1::EventRecord> ReadEvent(
      std::string_view event_id) const override {
    ++reads_;
    return log_->ReadEvent(event_id);
  }
  absl::StatusOr<std::optional<uint64_t>> StreamRevision(
      std::string_view stream) const override {
    ++reads_;
    return log_->StreamRevision(stream);
  }
  uint64_t HeadPosition() const override { return log_->HeadPosition(); }
  absl::Status WaitForPosition(uint64_t position,
                               absl::Time deadline) const override {
    return log_->WaitForPosition(position, deadline);
  }
  storage::TailListenerHandle AddTailListener(
      std::function<void(uint64_t head)> listener) override {
    return log_->AddTailListener(std::move(listener));
  }
  using storage::EventLog::VerifyChain;
  absl::StatusOr<storage::ChainVerification> VerifyChain(
      uint64_t from, uint64_t to,
      const std::function<bool()>& cancelled) const override {
    return log_->VerifyChain(from, to, cancelled);
  }

 private:
  storage::EventLog* const log_;
  mutable std::atomic<int> reads_{0};
};

using RepositoryReadsTest = testing::RepositoryTest;

TEST_F(RepositoryReadsTest, ACommandOnItsOwnLastWriteReadsNothing) {
  CountingLog counting(log_.get());
  Repository repository(&counting, &domain::cohort::Evolve);
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());
  const int reads_before = counting.reads();
  auto second = Run(repository, 2, Context(2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->stream_revision(), 1u);
  EXPECT_EQ(counting.reads(), reads_before);
}

// `other` stands for any writer this repository did not see (another
// cache of the stream after an eviction, or another service).
TEST_F(RepositoryReadsTest, AWriteItDidNotSeeIsFoldedInBeforeItDecidesAgain) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  Repository other(log_.get(), &domain::cohort::Evolve);
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());
  ASSERT_TRUE(Run(other, 100, Context(100)).ok());

  uint64_t last_seen_count = 0;
  absl::StatusOr<v1::WriteResult> outcome =
      ExecuteAndWait(repository, Context(2),
                     [&](const CohortState& state)
                         -> absl::StatusOr<std::vector<v1::CohortEvent>> {
                       last_seen_count = state.event_count;
                       return std::vector<v1::CohortEvent>{Meeting("2")};
                     });
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->stream_revision(), 2u);
  EXPECT_EQ(last_seen_count, 2u);  // the appended decision saw both events
  auto loaded = repository.Load(testing::kStream);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->state.event_count, 3u);
  EXPECT_TRUE(loaded->state.meetings.contains("100"));
}

// The client saw a revision this repository did not write: its expected
// revision holds in the log, so the command must not be refused.
TEST_F(RepositoryReadsTest, AnExpectedRevisionItDidNotSeeIsCheckedOnTheLog) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  Repository other(log_.get(), &domain::cohort::Evolve);
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());
  ASSERT_TRUE(Run(other, 100, Context(100)).ok());

  CommandContext seen_both = Context(2);
  seen_both.expected = storage::ExpectedRevision::Exact(1);
  auto outcome = Run(repository, 2, seen_both);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->stream_revision(), 2u);

  CommandContext stale = Context(3);
  stale.expected = storage::ExpectedRevision::Exact(1);
  EXPECT_TRUE(absl::IsAborted(Run(repository, 3, stale).status()));
  EXPECT_EQ(log_->HeadPosition(), 3u);
}

// A retry whose decision is accepted again is answered by the log with the
// first run's result; the state folds the first run's events once.
TEST_F(RepositoryReadsTest, ARetryAcceptedAgainIsFoldedOnce) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  auto first = Run(repository, 1, Context(7));
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Run(repository, 1, Context(7));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->position(), first->position());
  EXPECT_EQ(retry->stream_revision(), 0u);

  uint64_t seen_count = 0;
  auto next =
      ExecuteAndWait(repository, Context(8),
                     [&](const CohortState& state)
                         -> absl::StatusOr<std::vector<v1::CohortEvent>> {
                       seen_count = state.event_count;
                       return std::vector<v1::CohortEvent>{Meeting("8")};
                     });
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(seen_count, 1u);
  EXPECT_EQ(next->stream_revision(), 1u);
  EXPECT_EQ(log_->HeadPosition(), 2u);
}

// A retry that its own first run now makes the decider refuse still gets
// the first result.
TEST_F(RepositoryReadsTest, ARetryRefusedOnItsOwnEffectGetsTheFirstResult) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  auto once = [](const CohortState& state)
      -> absl::StatusOr<std::vector<v1::CohortEvent>> {
    if (state.meetings.contains("once")) {
      return absl::FailedPreconditionError("meeting once is already recorded");
    }
    return std::vector<v1::CohortEvent>{Meeting("once")};
  };
  auto first = ExecuteAndWait(repository, Context(9), once);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = ExecuteAndWait(repository, Context(9), once);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->position(), first->position());
  auto other_request = ExecuteAndWait(repository, Context(10), once);
  EXPECT_TRUE(absl::IsFailedPrecondition(other_request.status()));
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// A request id already used on another stream is refused, whatever this
// stream's decider says.
TEST_F(RepositoryReadsTest, ARequestUsedOnAnotherStreamIsRefused) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  absl::Notification finished;
  std::optional<absl::StatusOr<v1::WriteResult>> elsewhere;
  repository.Execute(
      "cohort-call-2", Context(5),
      [](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        return std::vector<v1::CohortEvent>{Meeting("elsewhere")};
      },
      [&](absl::StatusOr<v1::WriteResult> result) {
        elsewhere = std::move(result);
        finished.Notify();
      });
  finished.WaitForNotification();
  ASSERT_TRUE(elsewhere->ok()) << elsewhere->status();
  EXPECT_TRUE(absl::IsAlreadyExists(Run(repository, 5, Context(5)).status()));
  auto refused = ExecuteAndWait(
      repository, Context(5),
      [](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        return absl::FailedPreconditionError("no");
      });
  EXPECT_TRUE(absl::IsAlreadyExists(refused.status())) << refused.status();
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// Runs a command from a thread that must not read; `done` is called with
// its result.
void ExecuteWithoutReading(
    Repository& repository, int n, Repository::DecideFn decide,
    std::optional<absl::StatusOr<v1::WriteResult>>& result,
    absl::Notification& done) {
  repository.Execute(
      testing::kStream, Context(n), std::move(decide),
      [&](absl::StatusOr<v1::WriteResult> outcome) {
        result = std::move(outcome);
        done.Notify();
      },
      ReadsOn::kScheduledThread);
}

Repository::DecideFn RecordMeeting(const std::string& meeting_id) {
  return
      [meeting_id](
          const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        return std::vector<v1::CohortEvent>{Meeting(meeting_id)};
      };
}

TEST_F(RepositoryReadsTest, ACurrentStateIsDecidedOnAThreadThatMustNotRead) {
  HeldTasks held;
  CountingLog counting(log_.get());
  Repository repository(&counting, &domain::cohort::Evolve, nullptr,
                        held.Scheduler());
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());  // reads, then current
  const int reads_before = counting.reads();

  std::optional<absl::StatusOr<v1::WriteResult>> result;
  absl::Notification done;
  ExecuteWithoutReading(repository, 2, RecordMeeting("2"), result, done);
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(result->ok()) << result->status();
  EXPECT_EQ((*result)->stream_revision(), 1u);
  EXPECT_EQ(held.pending(), 0u);
  EXPECT_EQ(counting.reads(), reads_before);
}

TEST_F(RepositoryReadsTest, AStreamToLoadIsReadOnAScheduledThread) {
  HeldTasks held;
  CountingLog counting(log_.get());
  Repository repository(&counting, &domain::cohort::Evolve, nullptr,
                        held.Scheduler());
  std::optional<absl::StatusOr<v1::WriteResult>> result;
  absl::Notification done;
  ExecuteWithoutReading(repository, 1, RecordMeeting("1"), result, done);
  EXPECT_EQ(counting.reads(), 0);
  EXPECT_EQ(held.pending(), 1u);
  EXPECT_FALSE(done.HasBeenNotified());

  ASSERT_TRUE(held.RunNext());
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(result->ok()) << result->status();
  EXPECT_EQ((*result)->stream_revision(), 0u);
  EXPECT_GT(counting.reads(), 0);
}

// A refusal first looks up whether the request already ran: a read.
TEST_F(RepositoryReadsTest, ARefusalIsLookedUpOnAScheduledThread) {
  HeldTasks held;
  CountingLog counting(log_.get());
  Repository repository(&counting, &domain::cohort::Evolve, nullptr,
                        held.Scheduler());
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());
  const int reads_before = counting.reads();

  int decisions = 0;
  std::optional<absl::StatusOr<v1::WriteResult>> result;
  absl::Notification done;
  ExecuteWithoutReading(
      repository, 2,
      [&](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        ++decisions;
        return absl::FailedPreconditionError("MEETING_CLASH: not today");
      },
      result, done);
  EXPECT_EQ(counting.reads(), reads_before);
  EXPECT_EQ(held.pending(), 1u);
  EXPECT_FALSE(done.HasBeenNotified());

  ASSERT_TRUE(held.RunNext());
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(absl::IsFailedPrecondition(result->status())) << result->status();
  EXPECT_EQ(decisions, 2);  // decided again where it may read
  EXPECT_GT(counting.reads(), reads_before);
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

}  // namespace
}  // namespace coopcraft::app
