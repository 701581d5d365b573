// Subscription threading: the tail listener only marks idle subscriptions
// ready; reader threads do every read and start every write; gRPC reaction
// threads only hand a subscription back to the ready queue. One write is in
// flight per subscription, and a subscription is in exactly one place at a
// time (idle list, ready queue, a reader thread, or a write in flight), so
// nothing else needs to be locked per subscription.
#include "services/api/subscription.h"

#include <algorithm>
#include <utility>

#include "services/api/event_batch_encoding.h"
#include "services/api/method_names.h"
#include "services/api/recorded_event.h"
#include "services/api/status_mapping.h"
#include "services/base/status_macros.h"

namespace coopcraft::api {

using ::coopcraft::v1::SubscribeRequest;
using ::coopcraft::v1::SubscribeResponse;

class Subscription final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  Subscription(SubscriptionHub* hub, uint64_t next_position,
               const coopcraft::v1::EventFilter& filter, auth::Principal caller)
      : hub_(hub),
        caller_(std::move(caller)),
        may_see_personal_(auth::MaySeePersonalData(caller_.role)),
        next_position_(next_position),
        checkpointed_position_(next_position),
        last_checkpoint_time_(absl::Now()),
        last_message_time_(last_checkpoint_time_) {
    read_options_.max_count = hub->options_.batch_events;
    read_options_.max_bytes = kMaxEventBytesPerMessage;
    read_options_.stream_prefix = filter.stream_prefix();
    read_options_.event_types.assign(filter.event_types().begin(),
                                     filter.event_types().end());
  }

  void OnWriteDone(bool ok) override {
    hub_->mutex_.Lock();
    if (!ok || cancelled_) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    hub_->Ready(this);
    hub_->mutex_.Unlock();
  }

  void OnCancel() override {
    hub_->mutex_.Lock();
    cancelled_ = true;
    // Only an idle subscription has nobody to notice the cancellation; in
    // every other state the reader or OnWriteDone finishes it.
    if (state_ == State::kIdle) {
      auto& idle = hub_->idle_;
      idle.erase(std::find(idle.begin(), idle.end(), this));
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    hub_->mutex_.Unlock();
  }

  void OnDone() override { delete this; }

  // Reads the next batch and writes one message, or parks the subscription.
  // Runs on a reader thread with state kRunning and the hub mutex NOT held.
  void Step() {
    const SubscriptionOptions& options = hub_->options_;
    const absl::Time now = absl::Now();
    response_.Clear();
    // A revoked token gets nothing more: each message is read after its
    // token was found live.
    absl::Status error = hub_->guard_->Recheck(caller_, &revocations_seen_);
    bool have_message = error.ok() && CheckpointIfDue(now);
    if (error.ok() && !have_message) {
      // Bounded work per step so one subscriber with a filter that matches
      // nothing does not hold a reader thread for long.
      const uint64_t head = hub_->log_->HeadPosition();
      uint64_t scanned_this_step = 0;
      while (next_position_ <= head &&
             scanned_this_step < 4 * options.scan_per_read) {
        read_options_.from_position = next_position_;
        // Never scan past the next checkpoint, so one comes at least every
        // checkpoint_events scanned events even when all are filtered out.
        read_options_.max_scan = std::max<uint64_t>(
            1, std::min<uint64_t>(options.scan_per_read,
                                  options.checkpoint_events -
                                      std::min(scanned_since_checkpoint_,
                                               options.checkpoint_events)));
        absl::StatusOr<uint64_t> next = Read(head);
        if (!next.ok()) {
          error = next.status();
          break;
        }
        const uint64_t scanned = *next - next_position_;
        next_position_ = *next;
        scanned_since_checkpoint_ += scanned;
        scanned_this_step += scanned;
        if (batch_.events() > 0) {
          have_message = true;
          break;
        }
        if (scanned == 0 ||
            scanned_since_checkpoint_ >= options.checkpoint_events) {
          break;
        }
      }
      if (error.ok() && !have_message) {
        have_message = CheckpointIfDue(now);
        if (!have_message &&
            now - last_message_time_ >= options.heartbeat_interval) {
          response_.mutable_heartbeat()->set_head_position(
              hub_->log_->HeadPosition());
          have_message = true;
        }
      }
    }

    hub_->mutex_.Lock();
    if (cancelled_) {
      FinishLocked(grpc::Status::CANCELLED);
    } else if (!error.ok()) {
      FinishLocked(ToGrpcStatus(error));
    } else if (have_message) {
      state_ = State::kWriting;
      last_message_time_ = now;
      hub_->mutex_.Unlock();
      out_ = batch_.events() > 0 ? batch_.Take() : SerializeResponse(response_);
      // OnWriteDone may run (and the call end) before StartWrite returns:
      // nothing below may touch `this`.
      StartWrite(&out_);
    } else if (hub_->head_ >= next_position_) {
      // More to read (the step budget ran out, or a commit came meanwhile).
      hub_->Ready(this);
      hub_->mutex_.Unlock();
    } else {
      // The tail listener will mark it ready on the next commit; the
      // readers wake it for its checkpoint or heartbeat.
      state_ = State::kIdle;
      wake_at_ = last_message_time_ + options.heartbeat_interval;
      if (next_position_ != checkpointed_position_) {
        wake_at_ = std::min(
            wake_at_, last_checkpoint_time_ + options.checkpoint_interval);
      }
      hub_->idle_.push_back(this);
      hub_->mutex_.Unlock();
    }
  }

 private:
  friend class SubscriptionHub;
  enum class State { kReady, kRunning, kIdle, kWriting, kFinished };

  // Reads from next_position_ (up to `head`) into batch_: from the hub's
  // tail cache when it still holds next_position_, else from the log.
  // Events this caller sees as stored go out in the cache's shared
  // encoding; the others are rewritten for the caller and encoded here.
  // Returns the position after the last scanned event.
  absl::StatusOr<uint64_t> Read(uint64_t head) {
    absl::StatusOr<std::optional<TailRead>> cached =
        hub_->tail_.Read(next_position_, head, read_options_);
    if (!cached.ok()) return cached.status();
    const PersonalDataView& personal_data = *hub_->personal_data_;
    ServedPersonalData served;
    // Adds scratch_, as this caller may see it, to the batch.
    auto add_viewed = [&] {
      if (auto person = personal_data.Apply(may_see_personal_, &scratch_)) {
        served.Add(*person, scratch_.position());
      }
      batch_.Add(scratch_);
    };
    uint64_t next = 0;
    if (cached->has_value()) {
      for (const auto& tail_event : (*cached)->events) {
        if (personal_data.LeavesAsStored(may_see_personal_,
                                         tail_event->event)) {
          batch_.AddEntry(tail_event->entry);
          continue;
        }
        scratch_ = tail_event->event;
        add_viewed();
      }
      next = (*cached)->next_position;
    } else {
      // Visited in place: a catch-up page needs no copy of its records.
      absl::StatusOr<uint64_t> scanned = hub_->log_->ScanAll(
          read_options_, [&](const coopcraft::v1::EventRecord& record) {
            scratch_.Clear();  // keeps its buffers; no field of the last stays
            ToRecordedEvent(record, &scratch_);
            add_viewed();
            return absl::OkStatus();
          });
      if (!scanned.ok()) return scanned.status();
      next = *scanned;
    }
    // Recorded before the batch is written: data that cannot be accounted
    // for is not served.
    RETURN_IF_ERROR(
        served.RecordTo(hub_->trail_, caller_,
                        COOPCRAFT_METHOD(EventStreamService, Subscribe)));
    return next;
  }

  // Puts a checkpoint in response_ when one is due; true if it did.
  bool CheckpointIfDue(absl::Time now) {
    const SubscriptionOptions& options = hub_->options_;
    if (next_position_ == checkpointed_position_) return false;
    if (scanned_since_checkpoint_ < options.checkpoint_events &&
        now - last_checkpoint_time_ < options.checkpoint_interval) {
      return false;
    }
    response_.mutable_checkpoint()->set_next_position(next_position_);
    checkpointed_position_ = next_position_;
    scanned_since_checkpoint_ = 0;
    last_checkpoint_time_ = now;
    return true;
  }

  // Ends the call. Called with the hub mutex held; releases it. `this` may
  // be deleted (OnDone) as soon as Finish is called.
  void FinishLocked(const grpc::Status& status)
      ABSL_UNLOCK_FUNCTION(hub_->mutex_) {
    state_ = State::kFinished;
    --hub_->active_;
    hub_->mutex_.Unlock();
    Finish(status);
  }

  SubscriptionHub* const hub_;
  const auth::Principal caller_;
  const bool may_see_personal_;
  // See auth::Guard::Recheck; touched only by the reader stepping it.
  uint64_t revocations_seen_ = 0;

  // Guarded by hub_->mutex_.
  State state_ = State::kReady;
  bool cancelled_ = false;
  absl::Time wake_at_ = absl::InfiniteFuture();

  // Touched only by the thread that owns the subscription's current state
  // (a reader in kRunning; read by OnCommit while kIdle, under the mutex,
  // after the reader published it under the same mutex).
  uint64_t next_position_;
  uint64_t checkpointed_position_;
  uint64_t scanned_since_checkpoint_ = 0;
  absl::Time last_checkpoint_time_;
  absl::Time last_message_time_;
  storage::ReadAllOptions read_options_;
  // The next message's events, its checkpoint or heartbeat otherwise.
  EventBatchEncoder batch_;
  SubscribeResponse response_;
  // An event being rewritten for this caller; reused.
  coopcraft::v1::RecordedEvent scratch_;
  // The message in flight, alive until OnWriteDone as gRPC requires.
  grpc::ByteBuffer out_;
};

SubscriptionHub::SubscriptionHub(const auth::Guard* guard,
                                 storage::EventLog* log,
                                 const SubscriptionOptions& options,
                                 const PersonalDataView* personal_data,
                                 privacy::AccessTrail* trail)
    : guard_(guard),
      log_(log),
      options_(options),
      personal_data_(personal_data),
      trail_(trail),
      tail_(log, options.tail_cache_events) {
  tail_listener_ =
      log_->AddTailListener([this](uint64_t head) { OnCommit(head); });
  {
    absl::MutexLock lock(&mutex_);
    head_ = std::max(head_, log_->HeadPosition());
  }
  const size_t threads = std::max<size_t>(1, options_.reader_threads);
  for (size_t i = 0; i < threads; ++i) {
    readers_.emplace_back([this] { ReaderLoop(); });
  }
}

SubscriptionHub::~SubscriptionHub() {
  tail_listener_.Reset();
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  for (auto& reader : readers_) reader.join();
}

size_t SubscriptionHub::active() const {
  absl::MutexLock lock(&mutex_);
  return active_;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* SubscriptionHub::Start(
    grpc::CallbackServerContext* /*context*/, const SubscribeRequest& request,
    const auth::Principal& caller) {
  uint64_t from = 1;
  switch (request.start_case()) {
    case SubscribeRequest::kFromPosition:
      from = request.from_position();
      break;
    case SubscribeRequest::kFromEnd:
      from = log_->HeadPosition() + 1;
      break;
    default:
      break;
  }
  auto* subscription = new Subscription(this, from, request.filter(), caller);
  mutex_.Lock();
  if (active_ >= options_.max_subscribers) {
    subscription->state_ = Subscription::State::kFinished;
    mutex_.Unlock();
    subscription->Finish(grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        "the server already serves its limit of subscribers; retry later"));
    return subscription;
  }
  ++active_;
  Ready(subscription);
  mutex_.Unlock();
  return subscription;
}

void SubscriptionHub::Ready(Subscription* subscription) {
  subscription->state_ = Subscription::State::kReady;
  ready_.push_back(subscription);
}

void SubscriptionHub::OnCommit(uint64_t head) {
  absl::MutexLock lock(&mutex_);
  head_ = std::max(head_, head);
  for (size_t i = 0; i < idle_.size();) {
    if (idle_[i]->next_position_ <= head_) {
      Ready(idle_[i]);
      idle_[i] = idle_.back();
      idle_.pop_back();
    } else {
      ++i;
    }
  }
}

void SubscriptionHub::ReaderLoop() {
  // Timers (checkpoints, heartbeats) are checked at least this often; new
  // events never wait for it, commits wake readers through ready_.
  constexpr absl::Duration kTimerTick = absl::Milliseconds(100);
  mutex_.Lock();
  while (true) {
    const absl::Time now = absl::Now();
    absl::Time next_timer = now + kTimerTick;
    for (size_t i = 0; i < idle_.size();) {
      if (idle_[i]->wake_at_ <= now) {
        Ready(idle_[i]);
        idle_[i] = idle_.back();
        idle_.pop_back();
      } else {
        next_timer = std::min(next_timer, idle_[i]->wake_at_);
        ++i;
      }
    }
    if (!ready_.empty()) {
      Subscription* subscription = ready_.front();
      ready_.pop_front();
      subscription->state_ = Subscription::State::kRunning;
      mutex_.Unlock();
      subscription->Step();
      mutex_.Lock();
      continue;
    }
    if (stopping_) break;
    auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return !ready_.empty() || stopping_;
    };
    mutex_.AwaitWithDeadline(absl::Condition(&wake), next_timer);
  }
  mutex_.Unlock();
}

}  // namespace coopcraft::api
