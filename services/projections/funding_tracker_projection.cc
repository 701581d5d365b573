// FundingTrackerProjection: folding funding events into per-project
// application lists; totals and deadlines are computed at query time.
#include "services/projections/funding_tracker_projection.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "services/domain/date.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

v1::FundingApplicationEntry* Application(const std::string& id,
                                         v1::FundingTracker& tracker) {
  for (v1::FundingApplicationEntry& entry : *tracker.mutable_applications()) {
    if (entry.funding_application_id() == id) return &entry;
  }
  v1::FundingApplicationEntry* entry = tracker.add_applications();
  entry->set_project_id(tracker.project_id());
  entry->set_funding_application_id(id);
  return entry;
}

void AddCents(v1::Money* sum, const v1::Money& amount) {
  sum->set_cents(sum->cents() + amount.cents());
}

void Count(const v1::FundingApplicationEntry& entry,
           v1::FundingTotals* totals) {
  AddCents(totals->mutable_amount_requested(), entry.amount_requested());
  switch (entry.status()) {
    case v1::FUNDING_APPLICATION_STATUS_GRANTED:
      totals->set_granted(totals->granted() + 1);
      AddCents(totals->mutable_amount_granted(), entry.amount_granted());
      break;
    case v1::FUNDING_APPLICATION_STATUS_REFUSED:
      totals->set_refused(totals->refused() + 1);
      break;
    default:
      totals->set_submitted(totals->submitted() + 1);
      AddCents(totals->mutable_amount_pending(), entry.amount_requested());
      break;
  }
}

void AddTotals(const v1::FundingTotals& part, v1::FundingTotals* sum) {
  sum->set_submitted(sum->submitted() + part.submitted());
  sum->set_granted(sum->granted() + part.granted());
  sum->set_refused(sum->refused() + part.refused());
  AddCents(sum->mutable_amount_requested(), part.amount_requested());
  AddCents(sum->mutable_amount_pending(), part.amount_pending());
  AddCents(sum->mutable_amount_granted(), part.amount_granted());
}

// Adds the applications of `project` whose deadline is today or later.
void CollectDeadlines(const v1::FundingTracker& project, const v1::Date& today,
                      v1::FundingTracker* out) {
  if (!domain::IsValidDate(today)) return;
  for (const v1::FundingApplicationEntry& entry : project.applications()) {
    if (!domain::IsValidDate(entry.deadline())) continue;
    const int64_t days = domain::DaysBetween(today, entry.deadline());
    if (days < 0) continue;
    v1::UpcomingFundingDeadline* upcoming = out->add_upcoming_deadlines();
    *upcoming->mutable_application() = entry;
    upcoming->set_days_left(static_cast<int32_t>(days));
  }
}

void SortDeadlines(v1::FundingTracker* tracker) {
  auto* deadlines = tracker->mutable_upcoming_deadlines();
  std::sort(deadlines->begin(), deadlines->end(),
            [](const v1::UpcomingFundingDeadline& a,
               const v1::UpcomingFundingDeadline& b) {
              return std::forward_as_tuple(
                         a.days_left(), a.application().project_id(),
                         a.application().funding_application_id()) <
                     std::forward_as_tuple(
                         b.days_left(), b.application().project_id(),
                         b.application().funding_application_id());
            });
}

}  // namespace

void FundingTrackerProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened:
    case v1::ProjectEvent::kFundingApplicationSubmitted:
    case v1::ProjectEvent::kFundingApplicationGranted:
    case v1::ProjectEvent::kFundingApplicationRefused:
      break;
    default:
      return;
  }
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (event.event_case() != v1::ProjectEvent::kProjectOpened) return;
    it = states_.emplace(project_id, v1::FundingTracker()).first;
    it->second.set_project_id(project_id);
  }
  Fold(event, it->second);
  MarkChanged(project_id);
}

void FundingTrackerProjection::Fold(const v1::ProjectEvent& event,
                                    v1::FundingTracker& tracker) {
  switch (event.event_case()) {
    case v1::ProjectEvent::kFundingApplicationSubmitted: {
      const auto& e = event.funding_application_submitted();
      v1::FundingApplicationEntry* entry =
          Application(e.funding_application_id(), tracker);
      entry->set_funder(e.funder());
      entry->set_call_name(e.call_name());
      *entry->mutable_amount_requested() = e.amount_requested();
      *entry->mutable_deadline() = e.deadline();
      *entry->mutable_submitted_on() = e.submitted_on();
      if (entry->status() == v1::FUNDING_APPLICATION_STATUS_UNSPECIFIED) {
        entry->set_status(v1::FUNDING_APPLICATION_STATUS_SUBMITTED);
      }
      break;
    }
    case v1::ProjectEvent::kFundingApplicationGranted: {
      const auto& e = event.funding_application_granted();
      v1::FundingApplicationEntry* entry =
          Application(e.funding_application_id(), tracker);
      if (entry->funder().empty()) entry->set_funder(e.funder());
      if (!entry->has_amount_requested()) {
        *entry->mutable_amount_requested() = e.amount_requested();
      }
      entry->set_status(v1::FUNDING_APPLICATION_STATUS_GRANTED);
      *entry->mutable_amount_granted() = e.amount_granted();
      *entry->mutable_decided_on() = e.decided_on();
      break;
    }
    case v1::ProjectEvent::kFundingApplicationRefused: {
      const auto& e = event.funding_application_refused();
      v1::FundingApplicationEntry* entry =
          Application(e.funding_application_id(), tracker);
      if (entry->funder().empty()) entry->set_funder(e.funder());
      if (!entry->has_amount_requested()) {
        *entry->mutable_amount_requested() = e.amount_requested();
      }
      entry->set_status(v1::FUNDING_APPLICATION_STATUS_REFUSED);
      entry->clear_amount_granted();
      *entry->mutable_decided_on() = e.decided_on();
      break;
    }
    default:
      break;
  }
}

std::optional<v1::FundingTracker> FundingTrackerProjection::Get(
    std::string_view project_id, const v1::Date& today) const {
  v1::FundingTracker tracker;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = states_.find(std::string(project_id));
    if (it == states_.end()) return std::nullopt;
    tracker = it->second;
  }
  for (const v1::FundingApplicationEntry& entry : tracker.applications()) {
    Count(entry, tracker.mutable_totals());
  }
  CollectDeadlines(tracker, today, &tracker);
  SortDeadlines(&tracker);
  *tracker.mutable_today() = today;
  return tracker;
}

v1::FundingTracker FundingTrackerProjection::Programme(
    const v1::Date& today) const {
  v1::FundingTracker programme;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [id, project] : states_) {
      if (project.applications().empty()) continue;
      v1::ProjectFundingSummary* summary = programme.add_projects();
      summary->set_project_id(id);
      for (const v1::FundingApplicationEntry& entry : project.applications()) {
        Count(entry, summary->mutable_totals());
      }
      AddTotals(summary->totals(), programme.mutable_totals());
      CollectDeadlines(project, today, &programme);
    }
  }
  SortDeadlines(&programme);
  *programme.mutable_today() = today;
  return programme;
}

size_t FundingTrackerProjection::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return states_.size();
}

}  // namespace coopcraft::projections
