// GanttProjection: folding project events into GanttView messages.
#include "services/projections/gantt_projection.h"

#include <utility>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/domain/date.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

const absl::TimeZone& Brussels() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone();
    // Without tzdata CET is right for most of the year; a commit day is
    // then wrong only for an hour around midnight in summer.
    if (!absl::LoadTimeZone("Europe/Brussels", tz)) {
      *tz = absl::FixedTimeZone(3600);
    }
    return tz;
  }();
  return *zone;
}

// The event's business date when it carries one, else its commit day.
v1::Date DayOf(const v1::Date& business_date, const DecodedEvent& record) {
  if (domain::IsValidDate(business_date)) return business_date;
  return domain::FromCivilDay(absl::ToCivilDay(
      absl::FromUnixMicros(record.recorded_at_micros()), Brussels()));
}

// Stages only move forward, as in the project view: an event of an earlier
// or the same stage draws no new bar.
void EnterStage(v1::ProjectStage stage, const v1::Date& day,
                v1::GanttView& view) {
  if (view.stages_size() > 0) {
    v1::GanttStageBar& current = *view.mutable_stages(view.stages_size() - 1);
    if (stage <= current.stage()) return;
    *current.mutable_last_day() = day;
  }
  v1::GanttStageBar& bar = *view.add_stages();
  bar.set_stage(stage);
  *bar.mutable_first_day() = day;
}

v1::GanttMilestone& MilestoneOf(const std::string& id, v1::GanttView& view) {
  for (v1::GanttMilestone& milestone : *view.mutable_milestones()) {
    if (milestone.milestone_id() == id) return milestone;
  }
  v1::GanttMilestone& milestone = *view.add_milestones();
  milestone.set_milestone_id(id);
  return milestone;
}

void Fold(const v1::ProjectEvent& event, const DecodedEvent& record,
          v1::GanttView& view) {
  v1::GanttContract& contract = *view.mutable_contract();
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened: {
      const v1::ProjectOpened& e = event.project_opened();
      view.set_project_id(e.project_id());
      view.set_title(e.title());
      *contract.mutable_start_date() = e.contract_start_date();
      *contract.mutable_expected_end_date() = e.expected_end_date();
      EnterStage(v1::PROJECT_STAGE_ROADMAP,
                 DayOf(e.contract_start_date(), record), view);
      break;
    }
    case v1::ProjectEvent::kWorkedDaysRecorded:
      *contract.mutable_expected_end_date() =
          event.worked_days_recorded().expected_end_date();
      break;
    case v1::ProjectEvent::kDeliverableValidated: {
      const v1::DeliverableValidated& e = event.deliverable_validated();
      if (e.roadmap_complete()) {
        EnterStage(v1::PROJECT_STAGE_FOLLOW_UP, DayOf(e.validated_on(), record),
                   view);
      }
      break;
    }
    case v1::ProjectEvent::kEvaluationRecorded:
      EnterStage(v1::PROJECT_STAGE_EVALUATED,
                 DayOf(event.evaluation_recorded().evaluated_on(), record),
                 view);
      break;
    case v1::ProjectEvent::kHandOffProposed:
      EnterStage(v1::PROJECT_STAGE_HAND_OFF,
                 DayOf(event.hand_off_proposed().proposed_on(), record), view);
      break;
    case v1::ProjectEvent::kContractEnded: {
      const v1::ContractEnded& e = event.contract_ended();
      *contract.mutable_actual_end_date() = e.ended_on();
      EnterStage(v1::PROJECT_STAGE_CONTRACT_ENDED, DayOf(e.ended_on(), record),
                 view);
      break;
    }
    case v1::ProjectEvent::kProjectClosed:
      EnterStage(v1::PROJECT_STAGE_CLOSED,
                 DayOf(event.project_closed().closed_on(), record), view);
      break;
    case v1::ProjectEvent::kMilestonePlanned: {
      const v1::MilestonePlanned& e = event.milestone_planned();
      v1::GanttMilestone& milestone = MilestoneOf(e.milestone_id(), view);
      milestone.set_title(e.title());
      if (!milestone.has_first_planned_start()) {
        *milestone.mutable_first_planned_start() = e.start_date();
        *milestone.mutable_first_planned_end() = e.end_date();
      }
      *milestone.mutable_planned_start() = e.start_date();
      *milestone.mutable_planned_end() = e.end_date();
      break;
    }
    case v1::ProjectEvent::kMilestoneMoved: {
      const v1::MilestoneMoved& e = event.milestone_moved();
      v1::GanttMilestone& milestone = MilestoneOf(e.milestone_id(), view);
      *milestone.mutable_planned_start() = e.start_date();
      *milestone.mutable_planned_end() = e.end_date();
      milestone.set_times_moved(milestone.times_moved() + 1);
      break;
    }
    case v1::ProjectEvent::kMilestoneCompleted: {
      const v1::MilestoneCompleted& e = event.milestone_completed();
      *MilestoneOf(e.milestone_id(), view).mutable_completed_on() =
          e.completed_on();
      break;
    }
    default:
      // The other events neither move the stage nor touch the chart.
      break;
  }
}

}  // namespace

void GanttProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (event.event_case() != v1::ProjectEvent::kProjectOpened) return;
    it = states_.emplace(project_id, v1::GanttView()).first;
  }
  Fold(event, decoded, it->second);
  MarkChanged(project_id);
}

std::optional<v1::GanttView> GanttProjection::Get(
    std::string_view project_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = states_.find(std::string(project_id));
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

}  // namespace coopcraft::projections
