// PartnerTrackerProjection: folding partner events into per-project
// relations; the network view is gathered from them at query time.
#include "services/projections/partner_tracker_projection.h"

#include <utility>

#include "absl/container/btree_set.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

v1::PartnerRelation* Relation(const std::string& partner_id,
                              v1::PartnerTracker& tracker) {
  for (v1::PartnerRelation& relation : *tracker.mutable_partners()) {
    if (relation.partner_id() == partner_id) return &relation;
  }
  v1::PartnerRelation* relation = tracker.add_partners();
  relation->set_project_id(tracker.project_id());
  relation->set_partner_id(partner_id);
  relation->set_status(v1::PARTNER_RELATION_STATUS_CONTACTED);
  return relation;
}

void CountRelations(const v1::PartnerTracker& project,
                    v1::PartnerTracker* out) {
  for (const v1::PartnerRelation& relation : project.partners()) {
    out->set_partners_contacted(out->partners_contacted() + 1);
    if (relation.status() == v1::PARTNER_RELATION_STATUS_AGREED) {
      out->set_partnerships_agreed(out->partnerships_agreed() + 1);
    }
  }
}

}  // namespace

void PartnerTrackerProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened:
    case v1::ProjectEvent::kPartnerContacted:
    case v1::ProjectEvent::kPartnershipAgreed:
      break;
    default:
      return;
  }
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (event.event_case() != v1::ProjectEvent::kProjectOpened) return;
    it = states_.emplace(project_id, v1::PartnerTracker()).first;
    it->second.set_project_id(project_id);
  }
  v1::PartnerTracker& tracker = it->second;
  if (event.event_case() == v1::ProjectEvent::kPartnerContacted) {
    const v1::PartnerContacted& e = event.partner_contacted();
    v1::PartnerRelation* relation = Relation(e.partner_id(), tracker);
    if (!e.organisation_name().empty()) {
      relation->set_organisation_name(e.organisation_name());
    }
    // The first contact counts; a later one only updates the purpose.
    if (!relation->has_contacted_on()) {
      *relation->mutable_contacted_on() = e.contacted_on();
    }
    relation->set_purpose(e.purpose());
  } else if (event.event_case() == v1::ProjectEvent::kPartnershipAgreed) {
    const v1::PartnershipAgreed& e = event.partnership_agreed();
    v1::PartnerRelation* relation = Relation(e.partner_id(), tracker);
    if (!e.organisation_name().empty()) {
      relation->set_organisation_name(e.organisation_name());
    }
    relation->set_status(v1::PARTNER_RELATION_STATUS_AGREED);
    *relation->mutable_agreed_on() = e.agreed_on();
    relation->set_terms(e.terms());
  }
  MarkChanged(project_id);
}

std::vector<v1::PartnerOrganisationSummary>
PartnerTrackerProjection::Organisations(
    const absl::flat_hash_set<std::string>* only) const {
  struct Organisation {
    std::string name;
    absl::btree_set<std::string> contacted_by;
    absl::btree_set<std::string> agreed_with;
  };
  absl::btree_map<std::string, Organisation> network;
  // Projects in id order: the first project that names a partner names it,
  // whatever order the events arrived in.
  for (const auto& [project_id, project] : states_) {
    for (const v1::PartnerRelation& relation : project.partners()) {
      if (only != nullptr && !only->contains(relation.partner_id())) continue;
      Organisation& organisation = network[relation.partner_id()];
      if (organisation.name.empty()) {
        organisation.name = relation.organisation_name();
      }
      organisation.contacted_by.insert(project_id);
      if (relation.status() == v1::PARTNER_RELATION_STATUS_AGREED) {
        organisation.agreed_with.insert(project_id);
      }
    }
  }
  std::vector<v1::PartnerOrganisationSummary> summaries;
  summaries.reserve(network.size());
  for (auto& [partner_id, organisation] : network) {
    v1::PartnerOrganisationSummary& summary = summaries.emplace_back();
    summary.set_partner_id(partner_id);
    summary.set_organisation_name(organisation.name);
    for (const std::string& id : organisation.contacted_by) {
      summary.add_contacted_by(id);
    }
    for (const std::string& id : organisation.agreed_with) {
      summary.add_agreed_with(id);
    }
  }
  return summaries;
}

std::optional<v1::PartnerTracker> PartnerTrackerProjection::Get(
    std::string_view project_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = states_.find(std::string(project_id));
  if (it == states_.end()) return std::nullopt;
  v1::PartnerTracker tracker = it->second;
  CountRelations(tracker, &tracker);
  absl::flat_hash_set<std::string> partners;
  for (const v1::PartnerRelation& relation : tracker.partners()) {
    partners.insert(relation.partner_id());
  }
  if (!partners.empty()) {
    for (v1::PartnerOrganisationSummary& summary : Organisations(&partners)) {
      *tracker.add_organisations() = std::move(summary);
    }
  }
  return tracker;
}

v1::PartnerTracker PartnerTrackerProjection::Network() const {
  v1::PartnerTracker network;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [id, project] : states_) CountRelations(project, &network);
  for (v1::PartnerOrganisationSummary& summary : Organisations(nullptr)) {
    *network.add_organisations() = std::move(summary);
  }
  return network;
}

size_t PartnerTrackerProjection::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return states_.size();
}

}  // namespace coopcraft::projections
