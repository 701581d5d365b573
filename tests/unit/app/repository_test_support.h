// What the AggregateRepository tests share: a cohort repository over a
// RocksDB log in a temporary directory, and commands that record meetings.
#ifndef COOPCRAFT_TESTS_UNIT_APP_REPOSITORY_TEST_SUPPORT_H_
#define COOPCRAFT_TESTS_UNIT_APP_REPOSITORY_TEST_SUPPORT_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "gtest/gtest.h"
#include "services/app/aggregate_repository.h"
#include "services/domain/cohort/cohort.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace coopcraft::app::testing {

using domain::cohort::CohortState;
using Repository = AggregateRepository<CohortState, v1::CohortEvent>;

inline constexpr char kStream[] = "cohort-call-1";

// A request id (UUID text) from a number.
inline std::string RequestId(int n) {
  return absl::StrFormat("00000000-0000-4000-8000-%012d", n);
}

inline CommandContext Context(int n) {
  CommandContext context;
  context.request_id = RequestId(n);
  context.actor = "coach-1";
  return context;
}

// One meeting named after the request.
inline v1::CohortEvent Meeting(const std::string& meeting_id) {
  v1::CohortEvent event;
  event.mutable_group_meeting_recorded()->set_call_id("call-1");
  event.mutable_group_meeting_recorded()->set_meeting_id(meeting_id);
  return event;
}

// What the repository schedules, kept until the test runs it.
class HeldTasks {
 public:
  ScheduleFn Scheduler() {
    return [this](absl::AnyInvocable<void()> task) {
      absl::MutexLock lock(&mu_);
      tasks_.push_back(std::move(task));
    };
  }
  // Waits up to 10 s for a task and runs it here; false when none came.
  bool RunNext() {
    absl::AnyInvocable<void()> task;
    {
      absl::MutexLock lock(&mu_);
      if (!mu_.AwaitWithTimeout(
              absl::Condition(
                  +[](std::deque<absl::AnyInvocable<void()>>* tasks) {
                    return !tasks->empty();
                  },
                  &tasks_),
              absl::Seconds(10))) {
        return false;
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
    return true;
  }
  size_t pending() {
    absl::MutexLock lock(&mu_);
    return tasks_.size();
  }

 private:
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void()>> tasks_ ABSL_GUARDED_BY(mu_);
};

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = storage::RocksDbEventLog::Open({.path = dir_.path() + "/log"});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }

  // Runs one command on kStream and waits for its result.
  static absl::StatusOr<v1::WriteResult> ExecuteAndWait(
      Repository& repository, CommandContext context,
      Repository::DecideFn decide) {
    absl::Notification finished;
    std::optional<absl::StatusOr<v1::WriteResult>> outcome;
    repository.Execute(kStream, std::move(context), std::move(decide),
                       [&](absl::StatusOr<v1::WriteResult> result) {
                         outcome = std::move(result);
                         finished.Notify();
                       });
    finished.WaitForNotification();
    return *std::move(outcome);
  }

  // Runs one command that records meeting `n` and waits for its result.
  static absl::StatusOr<v1::WriteResult> Run(Repository& repository, int n,
                                             CommandContext context) {
    return ExecuteAndWait(
        repository, std::move(context),
        [n](const CohortState&)
            -> absl::StatusOr<std::vector<v1::CohortEvent>> {
          return std::vector<v1::CohortEvent>{Meeting(absl::StrCat(n))};
        });
  }

  coopcraft::testing::TempDir dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
};

}  // namespace coopcraft::app::testing

#endif  // COOPCRAFT_TESTS_UNIT_APP_REPOSITORY_TEST_SUPPORT_H_
