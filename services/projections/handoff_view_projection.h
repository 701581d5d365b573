// HandOffViewProjection: every hand-off with its dossier and status,
// indexed by the partner organisation it is addressed to, so that a
// partner lists only its own hand-offs.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_HANDOFF_VIEW_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_HANDOFF_VIEW_PROJECTION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/tracker_views.pb.h"
#include "services/projections/projection.h"

namespace coopcraft::projections {

// One page of List.
struct HandOffPage {
  std::vector<coopcraft::v1::HandOffView> handoffs;
  // Key (HandOffViewProjection::Key) of the last hand-off returned when
  // more may follow; empty otherwise.
  std::string last_key;
};

// Stored state: one HandOffView per hand-off, under Key(project_id,
// handoff_id). A hand-off is identified by its project and its id, which
// is unique within the project.
//
// Threading: see Projection. Get and List take a reader lock and may run
// on any thread concurrently with Apply.
class HandOffViewProjection final : public Projection {
 public:
  std::string_view name() const override { return "handoff_view"; }
  uint32_t version() const override { return 1; }
  void Clear() override;
  absl::Status Restore(std::string_view key, std::string_view value) override;
  void Apply(const DecodedEvent& decoded) override;
  void TakeChanges(std::vector<StateWrite>* writes) override;
  std::string_view StateType(std::string_view key) const override;

  // The stored key, and page-token key, of a hand-off.
  static std::string Key(std::string_view project_id,
                         std::string_view handoff_id);
  // The (project_id, handoff_id) of a Key; INVALID_ARGUMENT for a string
  // that is not one.
  static absl::StatusOr<std::pair<std::string, std::string>> ParseKey(
      std::string_view key);

  // Hand-off `handoff_id` of `project_id`; with an empty `handoff_id`, the
  // project's latest proposal (the domain answers one proposal before the
  // next, so it is the one touched last). nullopt when unknown.
  std::optional<coopcraft::v1::HandOffView> Get(
      std::string_view project_id, std::string_view handoff_id) const;

  // Up to `page_size` (at least 1) hand-offs addressed to `partner` with
  // `status` (UNSPECIFIED: any) and a key after `after_key` (empty: from
  // the first), in project_id then handoff_id order.
  HandOffPage List(std::string_view partner,
                   coopcraft::v1::HandOffStatus status,
                   std::string_view after_key, size_t page_size) const;

  // Number of hand-offs known.
  size_t size() const;

 private:
  using Id = std::pair<std::string, std::string>;  // project, hand-off
  // Adds or replaces `view` under `id`, keeping the partner index right.
  void Put(const Id& id, coopcraft::v1::HandOffView view)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::btree_map<Id, coopcraft::v1::HandOffView> handoffs_
      ABSL_GUARDED_BY(mu_);
  // (partner organisation, project, hand-off) of every hand-off.
  absl::btree_set<std::tuple<std::string, std::string, std::string>> by_partner_
      ABSL_GUARDED_BY(mu_);

  // Engine thread only.
  absl::flat_hash_set<std::string> dirty_;  // Keys
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_HANDOFF_VIEW_PROJECTION_H_
