// CommunicationTrackerProjection: counting publications per channel and
// per month, kept sorted so that equal histories give equal bytes.
#include "services/projections/communication_tracker_projection.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "services/domain/date.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

// Adds `count` to `channel` in `counts`, kept in channel order.
void AddChannel(v1::CommunicationChannel channel, int32_t count,
                google::protobuf::RepeatedPtrField<v1::ChannelCount>* counts) {
  int index = 0;
  while (index < counts->size() && counts->Get(index).channel() < channel) {
    ++index;
  }
  if (index < counts->size() && counts->Get(index).channel() == channel) {
    v1::ChannelCount* found = counts->Mutable(index);
    found->set_count(found->count() + count);
    return;
  }
  v1::ChannelCount* added = counts->Add();
  added->set_channel(channel);
  added->set_count(count);
  for (int i = counts->size() - 1; i > index; --i)
    counts->SwapElements(i, i - 1);
}

// The entry of `month` in `months`, kept in month order.
v1::MonthCount* Month(
    const std::string& month,
    google::protobuf::RepeatedPtrField<v1::MonthCount>* months) {
  int index = 0;
  while (index < months->size() && months->Get(index).month() < month) {
    ++index;
  }
  if (index < months->size() && months->Get(index).month() == month) {
    return months->Mutable(index);
  }
  months->Add()->set_month(month);
  for (int i = months->size() - 1; i > index; --i)
    months->SwapElements(i, i - 1);
  return months->Mutable(index);
}

// Adds the counts of `part` to `sum`.
void Merge(const v1::CommunicationTracker& part,
           v1::CommunicationTracker* sum) {
  sum->set_publications(sum->publications() + part.publications());
  for (const v1::ChannelCount& count : part.by_channel()) {
    AddChannel(count.channel(), count.count(), sum->mutable_by_channel());
  }
  for (const v1::MonthCount& month : part.by_month()) {
    v1::MonthCount* into = Month(month.month(), sum->mutable_by_month());
    into->set_count(into->count() + month.count());
    for (const v1::ChannelCount& count : month.by_channel()) {
      AddChannel(count.channel(), count.count(), into->mutable_by_channel());
    }
  }
  if (part.has_last_published_on() &&
      (!sum->has_last_published_on() ||
       domain::CompareDates(sum->last_published_on(),
                            part.last_published_on()) < 0)) {
    *sum->mutable_last_published_on() = part.last_published_on();
  }
}

}  // namespace

void CommunicationTrackerProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  const bool opened = event.event_case() == v1::ProjectEvent::kProjectOpened;
  if (!opened &&
      event.event_case() != v1::ProjectEvent::kCommunicationPublished) {
    return;
  }
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (!opened) return;
    it = states_.emplace(project_id, v1::CommunicationTracker()).first;
    it->second.set_project_id(project_id);
  }
  if (!opened) {
    const v1::CommunicationPublished& e = event.communication_published();
    v1::CommunicationTracker one;
    one.set_publications(1);
    AddChannel(e.channel(), 1, one.mutable_by_channel());
    if (domain::IsValidDate(e.published_on())) {
      const std::string month = absl::StrFormat(
          "%04d-%02d", e.published_on().year(), e.published_on().month());
      v1::MonthCount* in_month = Month(month, one.mutable_by_month());
      in_month->set_count(1);
      AddChannel(e.channel(), 1, in_month->mutable_by_channel());
      *one.mutable_last_published_on() = e.published_on();
    }
    Merge(one, &it->second);
  }
  MarkChanged(project_id);
}

std::optional<v1::CommunicationTracker> CommunicationTrackerProjection::Get(
    std::string_view project_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = states_.find(std::string(project_id));
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

v1::CommunicationTracker CommunicationTrackerProjection::Programme() const {
  v1::CommunicationTracker programme;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [id, project] : states_) {
    if (project.publications() == 0) continue;
    Merge(project, &programme);
    v1::ProjectCommunicationSummary* summary = programme.add_projects();
    summary->set_project_id(id);
    summary->set_publications(project.publications());
  }
  return programme;
}

size_t CommunicationTrackerProjection::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return states_.size();
}

}  // namespace coopcraft::projections
