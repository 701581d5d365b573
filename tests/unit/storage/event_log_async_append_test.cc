// EventLog::AppendAsync over every implementation: it reports exactly what
// Append would, once, only when the events are readable, and keeps one
// thread's appends in the order they were made.
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/log_implementations.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using testing::Events;
using testing::StatusIs;

template <typename Logs>
class AsyncAppendTest : public ::testing::Test {
 protected:
  EventLog& log() {
    if (log_ == nullptr) log_ = logs_.Make(EventLogLimits());
    return *log_;
  }

  // Appends asynchronously and waits for `done`, checking it runs once.
  absl::StatusOr<AppendResult> AppendAndWait(std::string stream,
                                             ExpectedRevision expected,
                                             std::vector<NewEvent> events) {
    absl::Notification finished;
    std::optional<absl::StatusOr<AppendResult>> outcome;
    std::atomic<int> calls{0};
    log().AppendAsync(std::move(stream), expected, std::move(events),
                      [&](absl::StatusOr<AppendResult> result) {
                        outcome = std::move(result);
                        if (calls.fetch_add(1) == 0) finished.Notify();
                      });
    finished.WaitForNotification();
    EXPECT_EQ(calls.load(), 1);
    return *std::move(outcome);
  }

  Logs logs_;
  std::unique_ptr<EventLog> log_;
};

TYPED_TEST_SUITE(AsyncAppendTest, testing::LogImplementations,
                 testing::LogImplementationNames);

TYPED_TEST(AsyncAppendTest, DoneGetsThePositionsOnceTheyAreReadable) {
  absl::Notification finished;
  std::optional<absl::StatusOr<AppendResult>> outcome;
  uint64_t head_when_done = 0;
  std::vector<EventRecord> read_when_done;
  EventLog& log = this->log();
  log.AppendAsync("project-1", ExpectedRevision::NoStream(), Events({"a", "b"}),
                  [&](absl::StatusOr<AppendResult> result) {
                    head_when_done = log.HeadPosition();
                    auto read = log.ReadStream("project-1", 0,
                                               Direction::kForwards, 10);
                    if (read.ok()) read_when_done = *std::move(read);
                    outcome = std::move(result);
                    finished.Notify();
                  });
  finished.WaitForNotification();
  ASSERT_TRUE(outcome->ok()) << outcome->status();
  EXPECT_EQ((*outcome)->first_position, 1u);
  EXPECT_EQ((*outcome)->last_position, 2u);
  EXPECT_EQ((*outcome)->next_revision, 2u);
  EXPECT_EQ(head_when_done, 2u);
  EXPECT_THAT(testing::Payloads(read_when_done),
              ::testing::ElementsAre("a", "b"));
}

TYPED_TEST(AsyncAppendTest, RefusalsArriveThroughDone) {
  EXPECT_THAT(
      this->AppendAndWait("bad stream", ExpectedRevision::Any(), Events({"a"})),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(this->AppendAndWait("s", ExpectedRevision::Any(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_TRUE(
      this->AppendAndWait("s", ExpectedRevision::NoStream(), Events({"a"}))
          .ok());
  absl::StatusOr<AppendResult> conflict =
      this->AppendAndWait("s", ExpectedRevision::NoStream(), Events({"b"}));
  EXPECT_THAT(conflict, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(CurrentRevisionOf(conflict.status()), 0u);
  EXPECT_EQ(this->log().HeadPosition(), 1u);
}

TYPED_TEST(AsyncAppendTest, RetryWithStoredIdsGetsTheOriginalResult) {
  std::vector<NewEvent> events = Events({"a", "b"});
  events[0].event_id = "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a";
  events[1].event_id = "1c8f3d9f-5a4b-4d2e-8f3c-7b6a1e2d3c4b";
  auto first = this->AppendAndWait("s", ExpectedRevision::NoStream(), events);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = this->AppendAndWait("s", ExpectedRevision::NoStream(), events);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->first_position, first->first_position);
  EXPECT_EQ(retry->last_position, first->last_position);
  EXPECT_EQ(this->log().HeadPosition(), 2u);
}

// A client may pipeline appends on its stream with exact expectations:
// they commit in the order they were made, so none conflicts.
TYPED_TEST(AsyncAppendTest, OneThreadsAppendsCommitInTheOrderMade) {
  constexpr int kAppends = 500;
  absl::BlockingCounter finished(kAppends);
  std::vector<absl::StatusOr<AppendResult>> results(
      kAppends, absl::UnknownError("no result"));
  for (int i = 0; i < kAppends; ++i) {
    this->log().AppendAsync(
        "pipelined",
        i == 0 ? ExpectedRevision::NoStream()
               : ExpectedRevision::Exact(static_cast<uint64_t>(i - 1)),
        Events({absl::StrCat(i)}),
        [&results, &finished, i](absl::StatusOr<AppendResult> result) {
          results[i] = std::move(result);
          finished.DecrementCount();
        });
  }
  finished.Wait();
  for (int i = 0; i < kAppends; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_EQ(results[i]->next_revision, static_cast<uint64_t>(i + 1));
  }
}

TYPED_TEST(AsyncAppendTest, DoneMayAppendAgain) {
  constexpr int kLinks = 100;
  EventLog& log = this->log();
  absl::Notification finished;
  std::vector<uint64_t> positions;
  std::function<void(absl::StatusOr<AppendResult>)> next =
      [&](absl::StatusOr<AppendResult> result) {
        if (!result.ok()) {
          ADD_FAILURE() << result.status();
          finished.Notify();
          return;
        }
        positions.push_back(result->first_position);
        if (positions.size() == kLinks) {
          finished.Notify();
          return;
        }
        log.AppendAsync("chain", ExpectedRevision::Exact(positions.size() - 1),
                        Events({"next"}), next);
      };
  log.AppendAsync("chain", ExpectedRevision::NoStream(), Events({"first"}),
                  next);
  finished.WaitForNotification();
  ASSERT_EQ(positions.size(), static_cast<size_t>(kLinks));
  for (int i = 0; i < kLinks; ++i) EXPECT_EQ(positions[i], i + 1u);
}

// Waiting and non-waiting appenders on shared and private streams: every
// append completes once, positions are 1..N exactly once, and every
// acknowledged event is stored where its result says.
TYPED_TEST(AsyncAppendTest, MixedWithAppendEveryEventLandsOnce) {
  constexpr int kAsyncThreads = 4;
  constexpr int kSyncThreads = 2;
  constexpr int kAppendsPerThread = 400;
  constexpr int kTotal = (kAsyncThreads + kSyncThreads) * kAppendsPerThread;
  EventLog& log = this->log();
  absl::Mutex mu;
  std::map<uint64_t, std::string> acked;  // position -> payload
  int completions = 0;
  auto record = [&](const absl::StatusOr<AppendResult>& result,
                    const std::string& payload) {
    absl::MutexLock lock(&mu);
    ++completions;
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_TRUE(acked.emplace(result->first_position, payload).second)
        << "position " << result->first_position << " acknowledged twice";
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kAsyncThreads + kSyncThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kAppendsPerThread; ++k) {
        std::string payload = absl::StrCat(t, "/", k);
        std::string stream =
            k % 2 == 0 ? absl::StrCat("own-", t) : std::string("shared");
        if (t < kAsyncThreads) {
          log.AppendAsync(stream, ExpectedRevision::Any(), Events({payload}),
                          [&record, payload](absl::StatusOr<AppendResult> r) {
                            record(r, payload);
                          });
        } else {
          record(log.Append(stream, ExpectedRevision::Any(), Events({payload})),
                 payload);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  mu.LockWhen(absl::Condition(
      +[](int* done) { return *done == kTotal; }, &completions));
  mu.Unlock();

  ASSERT_EQ(log.HeadPosition(), static_cast<uint64_t>(kTotal));
  auto all = log.ReadAll({.max_count = kTotal + 1u});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->events.size(), static_cast<size_t>(kTotal));
  ASSERT_EQ(acked.size(), static_cast<size_t>(kTotal));
  for (const EventRecord& event : all->events) {
    ASSERT_EQ(acked[event.position()], event.payload());
  }
}

}  // namespace
}  // namespace coopcraft::storage
