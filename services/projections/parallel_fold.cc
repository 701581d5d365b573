// FoldRange: a small scheduler of two kinds of task over a ring of chunk
// buffers. "Decode chunk k" scans and decodes k into buffer k % kRing once
// every projection is done with chunk k - kRing; "fold chunk k into
// projection p" runs once k is decoded and p has folded k - 1. Free threads
// take a decode first while a buffer is free, so decoded chunks stay ahead
// of the folds, then the fold of the projection furthest behind.
#include "services/projections/parallel_fold.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

// Chunks decoded ahead of the slowest projection, at most.
constexpr size_t kRing = 4;

struct Chunk {
  google::protobuf::Arena arena{DecodeArenaOptions()};
  std::vector<DecodedEvent> events;
  size_t size = 0;
};

class Folder {
 public:
  Folder(const storage::EventLog& log, uint64_t from, uint64_t to,
         std::span<const FoldTarget> targets, const FoldRangeOptions& options)
      : log_(log),
        from_(from),
        to_(to),
        targets_(targets),
        chunk_events_(std::max<size_t>(options.chunk_events, 1)),
        chunk_count_((to - from) / chunk_events_ + 1),
        decoded_(chunk_count_, false),
        folded_(chunk_count_, 0),
        next_chunk_(targets.size(), 0),
        busy_(targets.size(), false) {
    // A live tail's batch is a few events: size the buffers to the range,
    // not to a full chunk.
    const size_t capacity =
        static_cast<size_t>(std::min<uint64_t>(chunk_events_, to - from + 1));
    for (Chunk& chunk : ring_) chunk.events.resize(capacity);
  }

  absl::Status Run(int threads) {
    std::vector<std::thread> helpers;
    for (int i = 1; i < threads; ++i) {
      helpers.emplace_back([this] { Work(); });
    }
    Work();
    for (std::thread& helper : helpers) helper.join();
    absl::MutexLock lock(&mu_);
    return error_;
  }

 private:
  uint64_t FirstOf(size_t chunk) const { return from_ + chunk * chunk_events_; }
  uint64_t LastOf(size_t chunk) const {
    return std::min<uint64_t>(to_, FirstOf(chunk) + chunk_events_ - 1);
  }

  void Work() {
    absl::MutexLock lock(&mu_);
    while (error_.ok()) {
      if (next_decode_ < chunk_count_ &&
          (next_decode_ < kRing ||
           folded_[next_decode_ - kRing] == targets_.size())) {
        const size_t chunk = next_decode_++;
        mu_.Unlock();
        absl::Status status = Decode(chunk);
        mu_.Lock();
        if (status.ok()) {
          decoded_[chunk] = true;
        } else {
          error_.Update(status);
        }
        ready_.SignalAll();
        continue;
      }
      // The fold of the projection furthest behind, among those free.
      size_t target = targets_.size();
      bool all_done = true;
      for (size_t t = 0; t < targets_.size(); ++t) {
        if (next_chunk_[t] < chunk_count_) all_done = false;
        if (busy_[t] || next_chunk_[t] >= chunk_count_ ||
            !decoded_[next_chunk_[t]]) {
          continue;
        }
        if (target == targets_.size() || next_chunk_[t] < next_chunk_[target]) {
          target = t;
        }
      }
      if (target < targets_.size()) {
        busy_[target] = true;
        const size_t chunk = next_chunk_[target];
        mu_.Unlock();
        Fold(chunk, targets_[target]);
        mu_.Lock();
        busy_[target] = false;
        ++next_chunk_[target];
        ++folded_[chunk];
        ready_.SignalAll();
        continue;
      }
      if (all_done) return;
      ready_.Wait(&mu_);
    }
  }

  absl::Status Decode(size_t chunk_index) {
    Chunk& chunk = ring_[chunk_index % kRing];
    chunk.arena.Reset();
    chunk.size = 0;
    const uint64_t first = FirstOf(chunk_index);
    const size_t count = static_cast<size_t>(LastOf(chunk_index) - first + 1);
    absl::StatusOr<uint64_t> next = log_.ScanAll(
        {.from_position = first, .max_count = count, .max_scan = count},
        [&](const coopcraft::v1::EventRecord& record) {
          chunk.events[chunk.size++].Decode(record, chunk.arena);
          return absl::OkStatus();
        });
    if (!next.ok()) return next.status();
    if (chunk.size != count || *next != first + count) {
      // Positions are gap-free up to the head, so this means the log lost
      // events it had acknowledged.
      return absl::DataLossError(
          absl::StrCat("scanning positions ", first, " to ", first + count - 1,
                       " returned ", chunk.size, " events"));
    }
    return absl::OkStatus();
  }

  void Fold(size_t chunk_index, const FoldTarget& target) {
    const Chunk& chunk = ring_[chunk_index % kRing];
    if (LastOf(chunk_index) > target.checkpoint) {
      for (size_t i = 0; i < chunk.size; ++i) {
        const DecodedEvent& event = chunk.events[i];
        if (event.position() > target.checkpoint) {
          target.projection->Apply(event);
        }
      }
    }
    // Serialising the changed states is a good part of a range's work, so
    // it runs here, in parallel with the other projections' folds.
    if (chunk_index + 1 == chunk_count_ && to_ > target.checkpoint &&
        target.changes != nullptr) {
      target.projection->TakeChanges(target.changes);
    }
  }

  const storage::EventLog& log_;
  const uint64_t from_;
  const uint64_t to_;
  const std::span<const FoldTarget> targets_;
  const size_t chunk_events_;
  const size_t chunk_count_;
  // Each buffer is written by the decode that claimed it, then only read
  // until every projection has folded it; mu_ orders the hand-overs.
  Chunk ring_[kRing];

  absl::Mutex mu_;
  absl::CondVar ready_;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  size_t next_decode_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<bool> decoded_ ABSL_GUARDED_BY(mu_);
  // Per chunk: how many projections have folded it.
  std::vector<size_t> folded_ ABSL_GUARDED_BY(mu_);
  // Per target: the next chunk it folds, and whether a thread is at it.
  std::vector<size_t> next_chunk_ ABSL_GUARDED_BY(mu_);
  std::vector<bool> busy_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::Status FoldRange(const storage::EventLog& log, uint64_t from, uint64_t to,
                       std::span<const FoldTarget> targets,
                       const FoldRangeOptions& options) {
  if (from == 0 || to < from) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot fold positions ", from, " to ", to));
  }
  if (targets.empty()) return absl::OkStatus();
  Folder folder(log, from, to, targets, options);
  return folder.Run(std::max(options.threads, 1));
}

}  // namespace coopcraft::projections
