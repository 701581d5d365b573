// HandOffViewProjection: folding hand-off events into HandOffView messages
// and the partner index.
#include "services/projections/handoff_view_projection.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

// Ids never hold a NUL, so it separates the two parts of a key.
constexpr char kSeparator = '\0';

}  // namespace

std::string HandOffViewProjection::Key(std::string_view project_id,
                                       std::string_view handoff_id) {
  std::string key(project_id);
  key.push_back(kSeparator);
  key.append(handoff_id);
  return key;
}

absl::StatusOr<std::pair<std::string, std::string>>
HandOffViewProjection::ParseKey(std::string_view key) {
  const size_t separator = key.find(kSeparator);
  if (separator == std::string_view::npos) {
    return absl::InvalidArgumentError("not a hand-off key");
  }
  return std::make_pair(std::string(key.substr(0, separator)),
                        std::string(key.substr(separator + 1)));
}

void HandOffViewProjection::Clear() {
  absl::MutexLock lock(&mu_);
  handoffs_.clear();
  by_partner_.clear();
  dirty_.clear();
}

void HandOffViewProjection::Put(const Id& id, v1::HandOffView view) {
  auto it = handoffs_.find(id);
  if (it != handoffs_.end()) {
    by_partner_.erase(std::make_tuple(it->second.partner_organisation_id(),
                                      id.first, id.second));
  }
  by_partner_.emplace(view.partner_organisation_id(), id.first, id.second);
  handoffs_[id] = std::move(view);
}

absl::Status HandOffViewProjection::Restore(std::string_view key,
                                            std::string_view value) {
  v1::HandOffView view;
  if (!view.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError("stored hand-off view does not parse");
  }
  if (Key(view.project_id(), view.handoff_id()) != key) {
    return absl::DataLossError("stored hand-off view is under another key");
  }
  absl::MutexLock lock(&mu_);
  Id id(view.project_id(), view.handoff_id());
  Put(id, std::move(view));
  return absl::OkStatus();
}

void HandOffViewProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  absl::MutexLock lock(&mu_);
  switch (event.event_case()) {
    case v1::ProjectEvent::kHandOffProposed: {
      const v1::HandOffProposed& e = event.hand_off_proposed();
      v1::HandOffView view;
      view.set_project_id(project_id);
      view.set_handoff_id(e.handoff_id());
      view.set_partner_organisation_id(e.partner_organisation_id());
      view.set_status(v1::HAND_OFF_STATUS_PROPOSED);
      view.set_person_id(e.person_id());
      *view.mutable_dossier() = e.dossier();
      *view.mutable_contract() = e.contract();
      view.set_autonomy_level(e.autonomy_level());
      *view.mutable_proposed_on() = e.proposed_on();
      view.set_last_position(decoded.position());
      Put(Id(project_id, e.handoff_id()), std::move(view));
      dirty_.insert(Key(project_id, e.handoff_id()));
      break;
    }
    case v1::ProjectEvent::kHandOffAccepted: {
      const v1::HandOffAccepted& e = event.hand_off_accepted();
      auto it = handoffs_.find(Id(project_id, e.handoff_id()));
      if (it == handoffs_.end()) return;
      v1::HandOffView& view = it->second;
      view.set_status(v1::HAND_OFF_STATUS_ACCEPTED);
      *view.mutable_accepted_on() = e.accepted_on();
      view.set_accept_comment(e.comment());
      view.set_last_position(decoded.position());
      dirty_.insert(Key(project_id, e.handoff_id()));
      break;
    }
    case v1::ProjectEvent::kHandOffDeclined: {
      const v1::HandOffDeclined& e = event.hand_off_declined();
      auto it = handoffs_.find(Id(project_id, e.handoff_id()));
      if (it == handoffs_.end()) return;
      v1::HandOffView& view = it->second;
      view.set_status(v1::HAND_OFF_STATUS_DECLINED);
      *view.mutable_declined_on() = e.declined_on();
      view.set_decline_reason(e.reason());
      view.set_last_position(decoded.position());
      dirty_.insert(Key(project_id, e.handoff_id()));
      break;
    }
    default:
      break;
  }
}

void HandOffViewProjection::TakeChanges(std::vector<StateWrite>* writes) {
  absl::ReaderMutexLock lock(&mu_);
  for (const std::string& key : dirty_) {
    auto id = ParseKey(key);
    auto it = id.ok() ? handoffs_.find(*id) : handoffs_.end();
    if (it == handoffs_.end()) {
      writes->push_back({.key = key, .value = std::nullopt});
    } else {
      writes->push_back({.key = key, .value = it->second.SerializeAsString()});
    }
  }
  dirty_.clear();
}

std::string_view HandOffViewProjection::StateType(std::string_view) const {
  return "coopcraft.v1.HandOffView";
}

std::optional<v1::HandOffView> HandOffViewProjection::Get(
    std::string_view project_id, std::string_view handoff_id) const {
  absl::ReaderMutexLock lock(&mu_);
  if (!handoff_id.empty()) {
    auto it =
        handoffs_.find(Id(std::string(project_id), std::string(handoff_id)));
    if (it == handoffs_.end()) return std::nullopt;
    return it->second;
  }
  const v1::HandOffView* latest = nullptr;
  for (auto it = handoffs_.lower_bound(Id(std::string(project_id), ""));
       it != handoffs_.end() && it->first.first == project_id; ++it) {
    if (latest == nullptr ||
        it->second.last_position() > latest->last_position()) {
      latest = &it->second;
    }
  }
  if (latest == nullptr) return std::nullopt;
  return *latest;
}

HandOffPage HandOffViewProjection::List(std::string_view partner,
                                        v1::HandOffStatus status,
                                        std::string_view after_key,
                                        size_t page_size) const {
  page_size = std::max<size_t>(page_size, 1);
  HandOffPage page;
  std::pair<std::string, std::string> after;
  if (!after_key.empty()) {
    auto parsed = ParseKey(after_key);
    if (parsed.ok()) after = *std::move(parsed);
  }
  const std::string org(partner);
  absl::ReaderMutexLock lock(&mu_);
  auto it = after_key.empty()
                ? by_partner_.lower_bound(std::make_tuple(org, "", ""))
                : by_partner_.upper_bound(
                      std::make_tuple(org, after.first, after.second));
  std::string last_key;
  for (; it != by_partner_.end() && std::get<0>(*it) == org; ++it) {
    auto found = handoffs_.find(Id(std::get<1>(*it), std::get<2>(*it)));
    if (found == handoffs_.end()) continue;
    if (status != v1::HAND_OFF_STATUS_UNSPECIFIED &&
        found->second.status() != status) {
      continue;
    }
    if (page.handoffs.size() == page_size) {
      page.last_key = last_key;
      break;
    }
    last_key = Key(std::get<1>(*it), std::get<2>(*it));
    page.handoffs.push_back(found->second);
  }
  return page;
}

size_t HandOffViewProjection::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return handoffs_.size();
}

}  // namespace coopcraft::projections
