// AggregateRepository over a RocksDB log: commands complete once durable,
// repeated request ids and expected revisions behave as the API promises,
// a command behind another on its stream waits without a thread and runs in
// arrival order, and a command that loses a race for its stream is decided
// again (on the log's committer thread) on the newer state.
#include "services/app/aggregate_repository.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/unit/app/repository_test_support.h"

namespace coopcraft::app {
namespace {

using domain::cohort::CohortState;
using testing::Context;
using testing::HeldTasks;
using testing::kStream;
using testing::Meeting;
using testing::Repository;

using AggregateRepositoryTest = testing::RepositoryTest;

TEST_F(AggregateRepositoryTest, ResultNamesWhereTheDurableEventsAre) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  auto first = Run(repository, 1, Context(1));
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = Run(repository, 2, Context(2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->stream(), kStream);
  EXPECT_EQ(second->stream_revision(), 1u);
  EXPECT_EQ(second->first_position(), 2u);
  EXPECT_EQ(second->position(), 2u);
  EXPECT_EQ(log_->HeadPosition(), 2u);
  auto loaded = repository.Load(kStream);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->state.event_count, 2u);
  EXPECT_EQ(loaded->revision, 1u);
}

TEST_F(AggregateRepositoryTest, RepeatedRequestIdGetsTheFirstResult) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  auto first = Run(repository, 1, Context(7));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Run(repository, 2, Context(7));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->position(), first->position());
  EXPECT_EQ(again->stream_revision(), first->stream_revision());
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

TEST_F(AggregateRepositoryTest, ExpectedRevisionThatDoesNotHoldIsAborted) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  ASSERT_TRUE(Run(repository, 1, Context(1)).ok());
  CommandContext stale = Context(2);
  stale.expected = storage::ExpectedRevision::NoStream();
  EXPECT_TRUE(absl::IsAborted(Run(repository, 2, stale).status()));
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// Two repositories over one log stand for two caches of one stream (as
// after an eviction): `right` appends while `left` is deciding, so left's
// append loses the race.
TEST_F(AggregateRepositoryTest, ALostRaceIsDecidedAgainOnTheNewerState) {
  Repository left(log_.get(), &domain::cohort::Evolve);
  Repository right(log_.get(), &domain::cohort::Evolve);
  int decisions = 0;
  uint64_t seen_by_second_decision = 0;
  uint64_t seen_through_load = 0;
  absl::StatusOr<v1::WriteResult> outcome =
      ExecuteAndWait(left, Context(1),
                     [&](const CohortState& state)
                         -> absl::StatusOr<std::vector<v1::CohortEvent>> {
                       if (++decisions == 1) {
                         // Still on the caller's thread: right gets there
                         // first.
                         EXPECT_TRUE(Run(right, 100, Context(100)).ok());
                       } else {
                         seen_by_second_decision = state.event_count;
                         // Deciders read other aggregates, here on the thread
                         // that completes appends: Load must not wait for any
                         // command, not even this one, which still holds the
                         // stream.
                         auto loaded = left.Load(kStream);
                         if (!loaded.ok()) return loaded.status();
                         seen_through_load = loaded->state.event_count;
                       }
                       return std::vector<v1::CohortEvent>{Meeting("left")};
                     });

  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(decisions, 2);
  EXPECT_EQ(seen_by_second_decision, 1u);  // right's event folded in
  EXPECT_EQ(seen_through_load, 1u);
  EXPECT_EQ(outcome->stream_revision(), 1u);
  EXPECT_EQ(log_->HeadPosition(), 2u);
  auto loaded = left.Load(kStream);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->state.event_count, 2u);
  EXPECT_TRUE(loaded->state.meetings.contains("left"));
  EXPECT_TRUE(loaded->state.meetings.contains("100"));
}

TEST_F(AggregateRepositoryTest, ALostRaceWithAnExpectedRevisionIsAborted) {
  Repository left(log_.get(), &domain::cohort::Evolve);
  Repository right(log_.get(), &domain::cohort::Evolve);
  CommandContext context = Context(1);
  context.expected = storage::ExpectedRevision::NoStream();
  int decisions = 0;
  absl::StatusOr<v1::WriteResult> outcome = ExecuteAndWait(
      left, std::move(context),
      [&](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        ++decisions;
        EXPECT_TRUE(Run(right, 100, Context(100)).ok());
        return std::vector<v1::CohortEvent>{Meeting("left")};
      });
  EXPECT_TRUE(absl::IsAborted(outcome.status())) << outcome.status();
  EXPECT_EQ(decisions, 1);
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// Another writer appends to the stream during every decision, so each
// attempt conflicts: the repository gives up after kMaxConflictRetries
// retries with the stream's current revision, which the client needs to
// retry with an expected revision.
TEST_F(AggregateRepositoryTest,
       ARaceLostEveryTimeGivesUpWithTheCurrentRevision) {
  Repository left(log_.get(), &domain::cohort::Evolve);
  int decisions = 0;
  absl::StatusOr<v1::WriteResult> outcome = ExecuteAndWait(
      left, Context(1),
      [&](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        ++decisions;
        // Queued before this decision's own append, so it commits first.
        // Retries are decided on the committer thread, which must not
        // wait for an append.
        auto packed = PackEnvelope(Meeting(absl::StrCat("other-", decisions)));
        if (!packed.ok()) return packed.status();
        std::vector<storage::NewEvent> events(1);
        events[0].type = packed->type;
        events[0].payload = packed->payload;
        log_->AppendAsync(kStream, storage::ExpectedRevision::Any(),
                          std::move(events),
                          [](absl::StatusOr<storage::AppendResult> written) {
                            EXPECT_TRUE(written.ok()) << written.status();
                          });
        return std::vector<v1::CohortEvent>{Meeting("left")};
      });
  EXPECT_EQ(decisions, kMaxConflictRetries + 1);
  EXPECT_TRUE(storage::IsRevisionConflict(outcome.status()))
      << outcome.status();
  EXPECT_TRUE(
      absl::StartsWith(outcome.status().message(), "REVISION_CONFLICT: "))
      << outcome.status();
  const std::optional<uint64_t> current =
      storage::CurrentRevisionOf(outcome.status());
  ASSERT_TRUE(current.has_value()) << outcome.status();
  // The other writer's events alone: revisions 0 to decisions - 1.
  EXPECT_EQ(*current, static_cast<uint64_t>(decisions - 1));
  EXPECT_EQ(log_->HeadPosition(), static_cast<uint64_t>(decisions));
}

// Commands that arrive while their stream is held return at once (a worker
// is not kept waiting) and run one by one, in arrival order, each on the
// state its predecessor left.
TEST_F(AggregateRepositoryTest, CommandsBehindABusyStreamAreParkedInOrder) {
  HeldTasks held;
  Repository repository(log_.get(), &domain::cohort::Evolve, nullptr,
                        held.Scheduler());
  absl::Mutex mu;
  std::vector<std::string> decided;
  std::vector<uint64_t> seen_counts;
  std::vector<absl::StatusOr<v1::WriteResult>> results(3);
  absl::Notification deciding_first;
  absl::Notification release_first;
  int finished = 0;
  auto command = [&](int n) {
    return [&, n](const CohortState& state)
               -> absl::StatusOr<std::vector<v1::CohortEvent>> {
      if (n == 0) {
        deciding_first.Notify();
        release_first.WaitForNotification();
      }
      absl::MutexLock lock(&mu);
      decided.push_back(absl::StrCat(n));
      seen_counts.push_back(state.event_count);
      return std::vector<v1::CohortEvent>{Meeting(absl::StrCat(n))};
    };
  };
  auto done = [&](int n) {
    return [&, n](absl::StatusOr<v1::WriteResult> result) {
      absl::MutexLock lock(&mu);
      results[n] = std::move(result);
      ++finished;
    };
  };

  std::thread first(
      [&] { repository.Execute(kStream, Context(0), command(0), done(0)); });
  deciding_first.WaitForNotification();
  absl::Notification both_returned;
  std::thread later([&] {
    repository.Execute(kStream, Context(1), command(1), done(1));
    repository.Execute(kStream, Context(2), command(2), done(2));
    both_returned.Notify();
  });
  const bool returned_while_held =
      both_returned.WaitForNotificationWithTimeout(absl::Seconds(10));
  release_first.Notify();
  later.join();
  first.join();
  EXPECT_TRUE(returned_while_held)
      << "Execute waited for the command holding the stream";

  // Each completion hands the stream to the next parked command.
  EXPECT_TRUE(held.RunNext());
  EXPECT_TRUE(held.RunNext());
  {
    absl::MutexLock lock(&mu);
    mu.AwaitWithTimeout(absl::Condition(
                            +[](int* count) { return *count == 3; }, &finished),
                        absl::Seconds(10));
  }
  EXPECT_EQ(held.pending(), 0u);
  absl::MutexLock lock(&mu);
  ASSERT_EQ(finished, 3);
  EXPECT_EQ(decided, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(seen_counts, (std::vector<uint64_t>{0, 1, 2}));
  for (uint64_t n = 0; n < 3; ++n) {
    ASSERT_TRUE(results[n].ok()) << results[n].status();
    EXPECT_EQ(results[n]->stream_revision(), n);
  }
  EXPECT_EQ(log_->HeadPosition(), 3u);
}

// A command that reaches the repository after its caller's deadline (it
// waited for a worker) is not decided and writes nothing.
TEST_F(AggregateRepositoryTest, CommandPastItsDeadlineIsNotRun) {
  Repository repository(log_.get(), &domain::cohort::Evolve);
  CommandContext late = Context(1);
  late.deadline = absl::Now() - absl::Milliseconds(1);
  bool decided = false;
  absl::StatusOr<v1::WriteResult> outcome = ExecuteAndWait(
      repository, std::move(late),
      [&](const CohortState&) -> absl::StatusOr<std::vector<v1::CohortEvent>> {
        decided = true;
        return std::vector<v1::CohortEvent>{Meeting("late")};
      });
  EXPECT_TRUE(absl::IsDeadlineExceeded(outcome.status())) << outcome.status();
  EXPECT_FALSE(decided);
  EXPECT_EQ(log_->HeadPosition(), 0u);
  // The stream was handed back: the next command runs.
  auto next = Run(repository, 2, Context(2));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->stream_revision(), 0u);
}

// A parked command whose caller's deadline passes before its turn is not
// run (its caller was told DEADLINE_EXCEEDED); the one behind it still is.
TEST_F(AggregateRepositoryTest, ParkedCommandPastItsDeadlineIsNotRun) {
  HeldTasks held;
  Repository repository(log_.get(), &domain::cohort::Evolve, nullptr,
                        held.Scheduler());
  absl::Mutex mu;
  std::vector<int> decided;
  std::vector<std::optional<absl::StatusOr<v1::WriteResult>>> results(3);
  absl::Notification deciding_first, release_first;
  auto command = [&](int n) {
    return [&, n](const CohortState&)
               -> absl::StatusOr<std::vector<v1::CohortEvent>> {
      if (n == 0) {
        deciding_first.Notify();
        release_first.WaitForNotification();
      }
      absl::MutexLock lock(&mu);
      decided.push_back(n);
      return std::vector<v1::CohortEvent>{Meeting(absl::StrCat(n))};
    };
  };
  auto done = [&](int n) {
    return [&, n](absl::StatusOr<v1::WriteResult> result) {
      absl::MutexLock lock(&mu);
      results[n] = std::move(result);
    };
  };

  std::thread first(
      [&] { repository.Execute(kStream, Context(0), command(0), done(0)); });
  deciding_first.WaitForNotification();
  CommandContext hurried = Context(1);
  hurried.deadline = absl::Now() + absl::Milliseconds(50);
  repository.Execute(kStream, std::move(hurried), command(1), done(1));
  repository.Execute(kStream, Context(2), command(2), done(2));
  absl::SleepFor(absl::Milliseconds(100));
  release_first.Notify();
  first.join();

  EXPECT_TRUE(held.RunNext());  // the hurried one: refused at its turn
  EXPECT_TRUE(held.RunNext());  // the patient one: runs
  absl::MutexLock lock(&mu);
  mu.AwaitWithTimeout(
      absl::Condition(
          +[](std::optional<absl::StatusOr<v1::WriteResult>>* last) {
            return last->has_value();
          },
          &results[2]),
      absl::Seconds(10));
  EXPECT_EQ(decided, (std::vector<int>{0, 2}));
  ASSERT_TRUE(results[1].has_value());
  EXPECT_TRUE(absl::IsDeadlineExceeded(results[1]->status()))
      << results[1]->status();
  ASSERT_TRUE(results[2].has_value());
  ASSERT_TRUE(results[2]->ok()) << results[2]->status();
  EXPECT_EQ((*results[2])->stream_revision(), 1u);
  EXPECT_EQ(log_->HeadPosition(), 2u);
}

}  // namespace
}  // namespace coopcraft::app
