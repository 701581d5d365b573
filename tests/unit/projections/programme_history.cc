// GenerateProgrammeHistory: each project follows the programme's order
// (opened, roadmap, follow-up, evaluation, hand-off, end) with random
// follow-up work; projects are then interleaved at random.
#include "tests/unit/projections/programme_history.h"

#include <deque>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/project_events.pb.h"
#include "services/app/event_envelope.h"

namespace coopcraft::testing {
namespace {

namespace v1 = ::coopcraft::v1;

v1::Date DayOf(int offset) {
  // Day `offset` after 2026-03-02, on a 28-day month calendar: dates only
  // need to be valid and ordered here.
  v1::Date date;
  date.set_year(2026 + offset / 336);
  date.set_month(1 + (offset / 28) % 12);
  date.set_day(1 + offset % 28);
  return date;
}

class ProjectStory {
 public:
  ProjectStory(size_t index, std::mt19937_64& random)
      : id_(absl::StrCat("app-", index)), random_(random) {}

  std::deque<v1::ProjectEvent> Tell(size_t follow_up_events, size_t index) {
    auto& opened = *Next().mutable_project_opened();
    opened.set_project_id(id_);
    opened.set_call_id(absl::StrCat("call-", index % 5));
    opened.set_person_id(absl::StrCat("person-", index));
    opened.set_employing_cpas_id(absl::StrCat("cpas-", index % 19));
    opened.set_title(absl::StrCat("Project ", index));
    *opened.mutable_contract_start_date() = DayOf(0);
    opened.set_contract_rule_set("2026-03");
    opened.set_target_worked_days(312);
    *opened.mutable_expected_end_date() = DayOf(400);
    for (size_t i = 0; i < follow_up_events; ++i) FollowUp();
    if (Chance(2)) Ending();
    return std::move(events_);
  }

 private:
  v1::ProjectEvent& Next() { return events_.emplace_back(); }
  bool Chance(int one_in) { return random_() % one_in == 0; }
  int Pick(int n) { return static_cast<int>(random_() % n); }

  void FollowUp() {
    ++day_;
    switch (Pick(10)) {
      case 0: {
        auto& e = *Next().mutable_worked_days_recorded();
        e.set_project_id(id_);
        worked_ += 5;
        e.set_days(5);
        e.set_total_worked_days(worked_);
        e.set_target_worked_days(312);
        e.set_remaining_days(std::max(0, 312 - worked_));
        *e.mutable_expected_end_date() = DayOf(400 + worked_ % 7);
        break;
      }
      case 1:
        Deliverable();
        break;
      case 2: {
        if (mentor_ == 0 || Chance(4)) {
          auto& e = *Next().mutable_mentor_assigned();
          e.set_project_id(id_);
          e.set_mentor_id(absl::StrCat("mentor-", ++mentor_));
          e.set_sector("games");
        } else {
          auto& e = *Next().mutable_mentor_meeting_held();
          e.set_project_id(id_);
          e.set_meeting_id(absl::StrCat("meeting-", ++meetings_));
          e.set_mentor_id(absl::StrCat("mentor-", mentor_));
          *e.mutable_held_on() = DayOf(day_);
          e.set_meetings_held(meetings_);
          e.set_requirement_met(meetings_ >= 2);
        }
        break;
      }
      case 3:
      case 4: {
        auto& e = *Next().mutable_action_logged();
        e.set_project_id(id_);
        e.set_action_id(absl::StrCat("action-", day_));
        e.set_line(static_cast<v1::ActionLine>(1 + Pick(6)));
        *e.mutable_occurred_on() = DayOf(day_);
        e.set_title("An action");
        break;
      }
      case 5:
        Milestone();
        break;
      case 6: {
        const std::string id = absl::StrCat("resource-", ++resources_);
        auto& e = *Next().mutable_resource_requested();
        e.set_project_id(id_);
        e.set_resource_request_id(id);
        e.set_kind(v1::RESOURCE_KIND_EQUIPMENT);
        *e.mutable_requested_on() = DayOf(day_);
        auto& d = *Next().mutable_resource_request_granted();
        d.set_project_id(id_);
        d.set_resource_request_id(id);
        break;
      }
      case 7: {
        const std::string id = absl::StrCat("funding-", ++fundings_);
        auto& e = *Next().mutable_funding_application_submitted();
        e.set_project_id(id_);
        e.set_funding_application_id(id);
        e.set_funder("Fund");
        e.mutable_amount_requested()->set_cents(500000);
        *e.mutable_deadline() = DayOf(day_ + 14);
        *e.mutable_submitted_on() = DayOf(day_);
        if (Chance(2)) {
          auto& g = *Next().mutable_funding_application_granted();
          g.set_project_id(id_);
          g.set_funding_application_id(id);
          g.mutable_amount_granted()->set_cents(300000);
        }
        break;
      }
      case 8: {
        auto& e = *Next().mutable_communication_published();
        e.set_project_id(id_);
        e.set_publication_id(absl::StrCat("publication-", day_));
        e.set_channel(static_cast<v1::CommunicationChannel>(1 + Pick(4)));
        *e.mutable_published_on() = DayOf(day_);
        break;
      }
      default: {
        auto& e = *Next().mutable_partner_contacted();
        e.set_project_id(id_);
        e.set_partner_id(absl::StrCat("partner-", day_));
        *e.mutable_contacted_on() = DayOf(day_);
        break;
      }
    }
  }

  void Deliverable() {
    if (next_kind_ > 7) return;
    const auto kind = static_cast<v1::DeliverableKind>(next_kind_);
    switch (kind_step_++) {
      case 0: {
        auto& e = *Next().mutable_deliverable_drafted();
        e.set_project_id(id_);
        e.set_kind(kind);
        e.set_version(1);
        break;
      }
      case 1: {
        auto& e = *Next().mutable_deliverable_submitted();
        e.set_project_id(id_);
        e.set_kind(kind);
        e.set_version(1);
        break;
      }
      default: {
        auto& e = *Next().mutable_deliverable_validated();
        e.set_project_id(id_);
        e.set_kind(kind);
        e.set_version(1);
        e.set_validated_count(next_kind_);
        e.set_roadmap_complete(next_kind_ == 7);
        ++next_kind_;
        kind_step_ = 0;
      }
    }
  }

  void Milestone() {
    const std::string id = absl::StrCat("milestone-", ++milestones_);
    auto& e = *Next().mutable_milestone_planned();
    e.set_project_id(id_);
    e.set_milestone_id(id);
    e.set_title("A milestone");
    *e.mutable_start_date() = DayOf(day_);
    *e.mutable_end_date() = DayOf(day_ + 30);
    if (Chance(3)) {
      auto& m = *Next().mutable_milestone_moved();
      m.set_project_id(id_);
      m.set_milestone_id(id);
      *m.mutable_start_date() = DayOf(day_ + 7);
      *m.mutable_end_date() = DayOf(day_ + 40);
    }
    if (Chance(2)) {
      auto& c = *Next().mutable_milestone_completed();
      c.set_project_id(id_);
      c.set_milestone_id(id);
      *c.mutable_completed_on() = DayOf(day_ + 35);
    }
  }

  void Ending() {
    auto& evaluation = *Next().mutable_evaluation_recorded();
    evaluation.set_project_id(id_);
    *evaluation.mutable_evaluated_on() = DayOf(++day_);
    evaluation.set_autonomy_level(v1::AUTONOMY_LEVEL_PARTIALLY_AUTONOMOUS);
    auto& proposed = *Next().mutable_hand_off_proposed();
    proposed.set_project_id(id_);
    proposed.set_handoff_id("handoff-1");
    proposed.set_partner_organisation_id("job-yourself");
    *proposed.mutable_proposed_on() = DayOf(day_);
    if (Chance(2)) {
      auto& accepted = *Next().mutable_hand_off_accepted();
      accepted.set_project_id(id_);
      accepted.set_handoff_id("handoff-1");
    } else {
      auto& declined = *Next().mutable_hand_off_declined();
      declined.set_project_id(id_);
      declined.set_handoff_id("handoff-1");
    }
    auto& ended = *Next().mutable_contract_ended();
    ended.set_project_id(id_);
    *ended.mutable_ended_on() = DayOf(day_ + 1);
    ended.set_exit_outcome(v1::EXIT_OUTCOME_HAND_OFF);
    ended.set_worked_days(worked_);
    auto& closed = *Next().mutable_project_closed();
    closed.set_project_id(id_);
  }

  const std::string id_;
  std::mt19937_64& random_;
  std::deque<v1::ProjectEvent> events_;
  int day_ = 0;
  int worked_ = 0;
  int mentor_ = 0;
  int meetings_ = 0;
  int next_kind_ = 1;
  int kind_step_ = 0;
  int milestones_ = 0;
  int resources_ = 0;
  int fundings_ = 0;
};

}  // namespace

std::vector<HistoryAppend> GenerateProgrammeHistory(
    const HistoryOptions& options) {
  std::mt19937_64 random(options.seed);
  std::vector<std::deque<v1::ProjectEvent>> stories;
  stories.reserve(options.projects);
  for (size_t i = 0; i < options.projects; ++i) {
    const size_t follow_up = options.events_per_project / 2 +
                             random() % (options.events_per_project + 1);
    stories.push_back(ProjectStory(i, random).Tell(follow_up, i));
  }
  std::vector<size_t> open(options.projects);
  for (size_t i = 0; i < open.size(); ++i) open[i] = i;
  std::vector<HistoryAppend> history;
  while (!open.empty()) {
    const size_t slot = random() % open.size();
    const size_t project = open[slot];
    std::deque<v1::ProjectEvent>& story = stories[project];
    HistoryAppend append{.stream = absl::StrCat("project-app-", project)};
    const size_t count =
        1 + random() % std::max<size_t>(options.max_events_per_append, 1);
    for (size_t i = 0; i < count && !story.empty(); ++i) {
      auto packed = app::PackEnvelope(story.front());
      story.pop_front();
      if (!packed.ok()) continue;
      append.events.push_back(
          storage::NewEvent{.type = std::move(packed->type),
                            .payload = std::move(packed->payload)});
    }
    history.push_back(std::move(append));
    if (story.empty()) {
      open[slot] = open.back();
      open.pop_back();
    }
  }
  return history;
}

absl::Status AppendHistory(storage::EventLog& log,
                           std::vector<HistoryAppend> history) {
  for (HistoryAppend& append : history) {
    auto result = log.Append(append.stream, storage::ExpectedRevision::Any(),
                             std::move(append.events));
    if (!result.ok()) return result.status();
  }
  return absl::OkStatus();
}

}  // namespace coopcraft::testing
