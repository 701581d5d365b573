// The EventLog contract under concurrency: appends racing each other and reads
// racing appends. Runs over every implementation
// (tests/unit/storage/log_implementations.h).

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/event_log.h"
#include "tests/unit/storage/event_log_contract_fixture.h"
#include "tests/unit/storage/log_implementations.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using testing::Events;

template <typename Logs>
class EventLogConcurrencyTest : public testing::EventLogContractTest<Logs> {};
TYPED_TEST_SUITE(EventLogConcurrencyTest, testing::LogImplementations,
                 testing::LogImplementationNames);

// 8 threads x 1,000 appends: each thread alternates between its private
// stream (with exact expected revisions, which must never conflict), a
// shared stream with kAny, and a shared counter stream updated by
// read-then-append with exact revisions, retried on ABORTED.
TYPED_TEST(EventLogConcurrencyTest,
           ConcurrentAppendsAreGapFreeOrderedLossless) {
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 1000;
  EventLog& log = this->log();
  struct Acked {
    uint64_t position;
    std::string stream;
    std::string payload;
  };
  std::vector<std::vector<Acked>> acked(kThreads);
  std::atomic<int> counter_updates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string own = absl::StrCat("private-", t);
      uint64_t own_events = 0;
      for (int k = 0; k < kAppendsPerThread; ++k) {
        std::string payload = absl::StrCat(t, "/", k);
        std::string stream;
        absl::StatusOr<AppendResult> result;
        if (k % 3 == 0) {
          stream = own;
          result = log.Append(stream,
                              own_events == 0
                                  ? ExpectedRevision::NoStream()
                                  : ExpectedRevision::Exact(own_events - 1),
                              Events({payload}));
          ++own_events;
        } else if (k % 3 == 1) {
          stream = "shared-any";
          result =
              log.Append(stream, ExpectedRevision::Any(), Events({payload}));
        } else {
          stream = "shared-counter";
          do {
            auto revision = log.StreamRevision(stream);
            ASSERT_TRUE(revision.ok());
            result = log.Append(stream,
                                revision->has_value()
                                    ? ExpectedRevision::Exact(**revision)
                                    : ExpectedRevision::NoStream(),
                                Events({payload}));
          } while (absl::IsAborted(result.status()));
          ++counter_updates;
        }
        ASSERT_TRUE(result.ok()) << result.status();
        ASSERT_EQ(result->first_position, result->last_position);
        acked[t].push_back({result->first_position, stream, payload});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  constexpr uint64_t kTotal = kThreads * kAppendsPerThread;
  ASSERT_EQ(log.HeadPosition(), kTotal);
  std::vector<EventRecord> records =
      this->MustReadAll({.max_count = kTotal + 1});
  ASSERT_EQ(records.size(), kTotal);
  std::map<std::string, uint64_t> next_revision;
  for (uint64_t i = 0; i < kTotal; ++i) {
    ASSERT_EQ(records[i].position(), i + 1);
    // Revisions of each stream appear in position order with no gap.
    ASSERT_EQ(records[i].revision(), next_revision[records[i].stream()]++);
  }
  for (const auto& per_thread : acked) {
    for (const Acked& ack : per_thread) {
      const EventRecord& record = records[ack.position - 1];
      ASSERT_EQ(record.stream(), ack.stream);
      ASSERT_EQ(record.payload(), ack.payload);
    }
  }
  EXPECT_EQ(next_revision["shared-counter"],
            static_cast<uint64_t>(counter_updates.load()));
  EXPECT_EQ(log.VerifyChain(1, kTotal)->verified_count, kTotal);
}

// While one thread appends two events at a time, backwards pages of 1 and
// 10 from the end are always full and hold the newest published revisions:
// a commit stored but not yet published (or landing during the read) must
// not leave the page short. Every event is in the one stream, so a
// revision's position is revision + 1.
TYPED_TEST(EventLogConcurrencyTest, BackwardsPagesAreFullWhileAppending) {
  constexpr int kAppends = 300;
  EventLog& log = this->log();
  std::atomic<bool> appending{true};
  std::atomic<bool> reading{true};
  std::thread appender([&] {
    for (int k = 0; k < kAppends && reading.load(); ++k) {
      auto result =
          log.Append("s", ExpectedRevision::Any(), Events({"a", "b"}));
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) break;
    }
    appending = false;
  });
  // Returns at the first bad page, which ends the appends too.
  auto read_pages = [&] {
    for (int reads = 1; appending.load(); ++reads) {
      for (size_t page : {1u, 10u}) {
        const uint64_t head_before = log.HeadPosition();
        auto events = log.ReadStream("s", EventLog::kEndOfStream,
                                     Direction::kBackwards, page);
        const uint64_t head_after = log.HeadPosition();
        ASSERT_TRUE(events.ok()) << events.status();
        if (head_before == 0 && events->empty()) continue;
        ASSERT_FALSE(events->empty())
            << "page of " << page << ", head " << head_before << ".."
            << head_after << ", read " << reads;
        const uint64_t newest = events->front().revision();
        ASSERT_GE(newest + 1, head_before) << "page of " << page;
        ASSERT_LE(events->front().position(), head_after) << "page of " << page;
        ASSERT_EQ(events->size(), std::min<uint64_t>(page, newest + 1))
            << "page of " << page << " from revision " << newest << ", head "
            << head_before << ".." << head_after << ", read " << reads;
        for (size_t i = 0; i < events->size(); ++i) {
          ASSERT_EQ((*events)[i].revision(), newest - i);
        }
      }
    }
  };
  read_pages();
  reading = false;
  appender.join();
}

}  // namespace
}  // namespace coopcraft::storage
