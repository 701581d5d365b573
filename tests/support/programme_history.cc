// GenerateProgrammeHistory: each project follows the programme's order
// (opened, roadmap, follow-up, evaluation, hand-off, end) with random
// follow-up work; with include_selection, calls, applications and cohort
// meetings are told the same way; all streams are then interleaved at
// random.
#include "tests/support/programme_history.h"

#include <deque>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "coopcraft/v1/cohort_events.pb.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/selection_events.pb.h"
#include "services/app/event_envelope.h"

namespace coopcraft::testing {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr size_t kCalls = 5;
constexpr size_t kCpasCount = 19;
constexpr int kCohortMeetings = 10;

// One stream's events, in order, ready to append.
struct Story {
  std::string stream;
  std::deque<storage::NewEvent> events;
};

void Push(const google::protobuf::Message& envelope, Story& story) {
  auto packed = app::PackEnvelope(envelope);
  if (!packed.ok()) return;
  story.events.push_back(storage::NewEvent{
      .type = std::move(packed->type), .payload = std::move(packed->payload)});
}

// Statistics facts derived from the index alone, so they vary without
// drawing from the random sequence the existing histories depend on.
v1::GenderCategory GenderOf(size_t index) {
  return static_cast<v1::GenderCategory>(1 + index % 4);
}
v1::AgeBand AgeBandOf(size_t index) {
  return static_cast<v1::AgeBand>(1 + (index / 4) % 3);
}
int32_t MonthsOf(size_t index) { return static_cast<int32_t>(index * 7 % 40); }
std::string CallOf(size_t index) {
  return absl::StrCat("call-", index % kCalls);
}
std::string CpasOf(size_t index) {
  return absl::StrCat("cpas-", index % kCpasCount);
}

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

  // `staggered`: the contract starts up to a year after the first day and
  // the exit outcome varies; otherwise every contract starts on day 0 and
  // ends in a hand-off.
  std::deque<v1::ProjectEvent> Tell(size_t follow_up_events, size_t index,
                                    bool staggered) {
    if (staggered) {
      day_ = static_cast<int>(index * 37 % 336);
      exit_outcome_ = static_cast<v1::ExitOutcome>(1 + index % 5);
    }
    auto& opened = *Next().mutable_project_opened();
    opened.set_project_id(id_);
    opened.set_call_id(CallOf(index));
    opened.set_person_id(absl::StrCat("person-", index));
    opened.set_employing_cpas_id(CpasOf(index));
    opened.set_title(absl::StrCat("Project ", index));
    *opened.mutable_contract_start_date() = DayOf(day_);
    opened.set_contract_rule_set("2026-03");
    opened.set_target_worked_days(312);
    *opened.mutable_expected_end_date() = DayOf(day_ + 400);
    opened.set_gender_category(GenderOf(index));
    opened.set_age_band(AgeBandOf(index));
    opened.set_months_on_integration_income(MonthsOf(index));
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
          if (mentor_ > 0) {
            e.set_previous_mentor_id(absl::StrCat("mentor-", mentor_));
          }
          e.set_mentor_id(absl::StrCat("mentor-", ++mentor_));
          e.set_sector("games");
          *e.mutable_assigned_on() = DayOf(day_);
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
    ended.set_exit_outcome(exit_outcome_);
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
  v1::ExitOutcome exit_outcome_ = v1::EXIT_OUTCOME_HAND_OFF;
};

v1::ApplicationSubmitted& Submitted(const std::string& application_id,
                                    size_t index, v1::ApplicationEvent& e) {
  v1::ApplicationSubmitted& submitted = *e.mutable_application_submitted();
  submitted.set_application_id(application_id);
  submitted.set_call_id(CallOf(index));
  submitted.set_person_id(absl::StrCat("person-", application_id));
  submitted.set_cpas_id(CpasOf(index));
  *submitted.mutable_received_on() = DayOf(0);
  submitted.set_gender_category(GenderOf(index));
  submitted.set_age_band(AgeBandOf(index));
  submitted.set_months_on_integration_income(MonthsOf(index));
  return submitted;
}

void Reviewed(const std::string& application_id, size_t index, int reviewer,
              Story& story) {
  v1::ApplicationEvent e;
  v1::ApplicationReviewed& reviewed = *e.mutable_application_reviewed();
  reviewed.set_application_id(application_id);
  reviewed.set_call_id(CallOf(index));
  reviewed.set_reviewer_id(absl::StrCat("reviewer-", reviewer));
  *reviewed.mutable_reviewed_on() = DayOf(1);
  reviewed.set_total_score(7);
  reviewed.set_max_total_score(10);
  reviewed.set_recommendation(v1::REVIEW_RECOMMENDATION_SELECT);
  Push(e, story);
}

void Waitlisted(const std::string& application_id, size_t index, Story& story) {
  v1::ApplicationEvent e;
  v1::CandidateWaitlisted& waitlisted = *e.mutable_candidate_waitlisted();
  waitlisted.set_application_id(application_id);
  waitlisted.set_call_id(CallOf(index));
  *waitlisted.mutable_decided_on() = DayOf(2);
  Push(e, story);
}

// Calls, each project's selected application, the applications that were
// not selected, and the cohorts' weekly meetings.
std::vector<Story> SelectionStories(size_t projects, std::mt19937_64& random) {
  std::vector<Story> stories;
  auto chance = [&random](int one_in) { return random() % one_in == 0; };
  for (size_t k = 0; k < kCalls; ++k) {
    Story& call =
        stories.emplace_back(Story{.stream = absl::StrCat("call-", CallOf(k))});
    v1::CallEvent opened;
    opened.mutable_call_opened()->set_call_id(CallOf(k));
    opened.mutable_call_opened()->set_title(absl::StrCat("Call ", k));
    opened.mutable_call_opened()->set_places(
        static_cast<int32_t>(projects / kCalls + 1));
    *opened.mutable_call_opened()->mutable_opens_on() = DayOf(0);
    *opened.mutable_call_opened()->mutable_closes_on() = DayOf(1);
    Push(opened, call);
    v1::CallEvent closed;
    closed.mutable_call_closed()->set_call_id(CallOf(k));
    *closed.mutable_call_closed()->mutable_closed_on() = DayOf(1);
    Push(closed, call);
  }
  for (size_t i = 0; i < projects; ++i) {
    const std::string id = absl::StrCat("app-", i);
    Story& story =
        stories.emplace_back(Story{.stream = absl::StrCat("application-", id)});
    v1::ApplicationEvent submitted;
    Submitted(id, i, submitted);
    Push(submitted, story);
    Reviewed(id, i, 1, story);
    if (chance(2)) Reviewed(id, i, 2, story);
    const bool from_waitlist = chance(4);
    if (from_waitlist) Waitlisted(id, i, story);
    v1::ApplicationEvent selected;
    selected.mutable_candidate_selected()->set_application_id(id);
    selected.mutable_candidate_selected()->set_call_id(CallOf(i));
    selected.mutable_candidate_selected()->set_from_waitlist(from_waitlist);
    *selected.mutable_candidate_selected()->mutable_decided_on() = DayOf(3);
    Push(selected, story);
  }
  for (size_t j = 0; j < projects / 2; ++j) {
    const std::string id = absl::StrCat("extra-", j);
    Story& story =
        stories.emplace_back(Story{.stream = absl::StrCat("application-", id)});
    v1::ApplicationEvent submitted;
    Submitted(id, j, submitted);
    Push(submitted, story);
    const int path = static_cast<int>(random() % 5);
    if (path >= 1 && path <= 3) Reviewed(id, j, 1, story);
    v1::ApplicationEvent decision;
    if (path == 2) {
      decision.mutable_candidate_rejected()->set_application_id(id);
      decision.mutable_candidate_rejected()->set_call_id(CallOf(j));
      decision.mutable_candidate_rejected()->set_reason(
          v1::REJECTION_REASON_INSUFFICIENT_SCORE);
      Push(decision, story);
    } else if (path == 3) {
      Waitlisted(id, j, story);
      if (chance(2)) {
        decision.mutable_application_withdrawn()->set_application_id(id);
        decision.mutable_application_withdrawn()->set_call_id(CallOf(j));
        decision.mutable_application_withdrawn()->set_from_waitlist(true);
        Push(decision, story);
      }
    } else if (path == 4) {
      decision.mutable_application_withdrawn()->set_application_id(id);
      decision.mutable_application_withdrawn()->set_call_id(CallOf(j));
      decision.mutable_application_withdrawn()->set_reason(
          v1::WITHDRAWAL_REASON_FOUND_JOB);
      Push(decision, story);
    }
    // Paths 0 and 1 stay pending.
  }
  for (size_t k = 0; k < kCalls; ++k) {
    Story& cohort = stories.emplace_back(
        Story{.stream = absl::StrCat("cohort-", CallOf(k))});
    for (int m = 0; m < kCohortMeetings; ++m) {
      v1::CohortEvent e;
      v1::GroupMeetingRecorded& meeting = *e.mutable_group_meeting_recorded();
      meeting.set_call_id(CallOf(k));
      meeting.set_meeting_id(absl::StrCat("meeting-", m));
      *meeting.mutable_held_on() = DayOf(7 * (m + 1));
      for (size_t i = k; i < projects; i += kCalls) {
        if (chance(4)) {
          v1::Absence& absence = *meeting.add_absences();
          absence.set_project_id(absl::StrCat("app-", i));
          absence.set_excused(chance(2));
        } else {
          meeting.add_present_project_ids(absl::StrCat("app-", i));
        }
      }
      Push(e, cohort);
    }
  }
  return stories;
}

}  // namespace

std::vector<HistoryAppend> GenerateProgrammeHistory(
    const HistoryOptions& options) {
  std::mt19937_64 random(options.seed);
  std::vector<Story> stories;
  stories.reserve(options.projects);
  for (size_t i = 0; i < options.projects; ++i) {
    const size_t follow_up = options.events_per_project / 2 +
                             random() % (options.events_per_project + 1);
    Story& story =
        stories.emplace_back(Story{.stream = absl::StrCat("project-app-", i)});
    for (const v1::ProjectEvent& event : ProjectStory(i, random).Tell(
             follow_up, i, options.include_selection)) {
      Push(event, story);
    }
  }
  if (options.include_selection) {
    for (Story& story : SelectionStories(options.projects, random)) {
      stories.push_back(std::move(story));
    }
  }
  std::vector<size_t> open(stories.size());
  for (size_t i = 0; i < open.size(); ++i) open[i] = i;
  std::vector<HistoryAppend> history;
  while (!open.empty()) {
    const size_t slot = random() % open.size();
    Story& story = stories[open[slot]];
    HistoryAppend append{.stream = story.stream};
    const size_t count =
        1 + random() % std::max<size_t>(options.max_events_per_append, 1);
    for (size_t i = 0; i < count && !story.events.empty(); ++i) {
      append.events.push_back(std::move(story.events.front()));
      story.events.pop_front();
    }
    history.push_back(std::move(append));
    if (story.events.empty()) {
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
