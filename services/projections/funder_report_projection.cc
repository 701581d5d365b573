// FunderReportProjection: keeping per-project facts and aggregating a
// period's report from them on demand, so any period can be asked without
// a rebuild.
#include "services/projections/funder_report_projection.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "services/domain/date.h"
#include "services/projections/decoded_event.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr int32_t kTwelveMonths = 12;
constexpr int32_t kTwentyFourMonths = 24;

bool Withholds(int64_t count) {
  return count >= 1 && count <= kLargestSuppressedCount;
}

v1::ReportCount Reported(int64_t count, bool withheld) {
  v1::ReportCount reported;
  if (withheld) {
    reported.set_suppressed(true);
  } else {
    reported.set_count(static_cast<int32_t>(count));
  }
  return reported;
}

// Counts per key, with the keys every report lists even at zero.
template <typename Key>
class Tally {
 public:
  explicit Tally(std::initializer_list<Key> always) {
    for (const Key& key : always) counts_[key] = 0;
  }
  void Add(const Key& key) { ++counts_[key]; }

  // Fixes which counts to withhold, once every Add is done. True when the
  // total must be withheld as well.
  bool Seal(int64_t total) {
    std::vector<int64_t> cells;
    for (const auto& [key, count] : counts_) cells.push_back(count);
    withheld_ = CountsToWithhold(cells, total);
    return withheld_.total;
  }

  // Calls `row(key, reported_count)` in key order, after Seal.
  template <typename RowFn>
  void ForEachRow(RowFn row) const {
    size_t i = 0;
    for (const auto& [key, count] : counts_) {
      row(key, Reported(count, withheld_.cells[i++]));
    }
  }

 private:
  absl::btree_map<Key, int64_t> counts_;
  Withheld withheld_;
};

bool Overlaps(const v1::FunderProjectFacts& facts, const v1::Date& from,
              const v1::Date& to) {
  if (!domain::IsValidDate(facts.contract_start_date())) return false;
  if (domain::DateBefore(to, facts.contract_start_date())) return false;
  const v1::Date& end =
      facts.ended() ? facts.ended_on() : facts.expected_end_date();
  return !domain::IsValidDate(end) || !domain::DateBefore(end, from);
}

bool EndedWithin(const v1::FunderProjectFacts& facts, const v1::Date& from,
                 const v1::Date& to) {
  return facts.ended() && domain::IsValidDate(facts.ended_on()) &&
         !domain::DateBefore(facts.ended_on(), from) &&
         !domain::DateBefore(to, facts.ended_on());
}

}  // namespace

v1::ReportCount ReportedCount(int64_t count) {
  return Reported(count, Withholds(count));
}

Withheld CountsToWithhold(const std::vector<int64_t>& cells, int64_t total) {
  Withheld withheld{.cells = std::vector<bool>(cells.size(), false),
                    .total = Withholds(total)};
  size_t count = 0;
  int64_t sum = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (Withholds(cells[i])) {
      withheld.cells[i] = true;
      ++count;
      sum += cells[i];
    }
  }
  // A withheld total hides nothing more by subtraction.
  while (!withheld.total && count > 0 &&
         (count < 2 || sum <= kLargestSuppressedCount)) {
    std::optional<size_t> smallest;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (withheld.cells[i] || cells[i] == 0) continue;
      if (!smallest.has_value() || cells[i] < cells[*smallest]) smallest = i;
    }
    if (!smallest.has_value()) {
      withheld.total = true;
      break;
    }
    withheld.cells[*smallest] = true;
    ++count;
    sum += cells[*smallest];
  }
  return withheld;
}

v1::PriorStatusBand PriorStatusBandOf(int32_t months) {
  if (months < kTwelveMonths) return v1::PRIOR_STATUS_BAND_UNDER_12_MONTHS;
  if (months < kTwentyFourMonths) {
    return v1::PRIOR_STATUS_BAND_12_TO_23_MONTHS;
  }
  return v1::PRIOR_STATUS_BAND_24_MONTHS_AND_OVER;
}

v1::FunderExitCategory ExitCategoryOf(v1::ExitOutcome outcome) {
  switch (outcome) {
    case v1::EXIT_OUTCOME_EMPLOYMENT:
      return v1::FUNDER_EXIT_CATEGORY_EMPLOYMENT;
    case v1::EXIT_OUTCOME_SELF_EMPLOYMENT:
    case v1::EXIT_OUTCOME_HAND_OFF:
      return v1::FUNDER_EXIT_CATEGORY_SELF_EMPLOYMENT_OR_HAND_OFF;
    case v1::EXIT_OUTCOME_TRAINING:
      return v1::FUNDER_EXIT_CATEGORY_TRAINING;
    case v1::EXIT_OUTCOME_OTHER:
      return v1::FUNDER_EXIT_CATEGORY_OTHER;
    default:
      return v1::FUNDER_EXIT_CATEGORY_UNSPECIFIED;
  }
}

void FunderReportProjection::Apply(const DecodedEvent& decoded) {
  if (decoded.project_event() == nullptr) return;
  const v1::ProjectEvent& event = *decoded.project_event();
  const std::string& project_id = decoded.aggregate_id();
  absl::MutexLock lock(&mu_);
  auto it = states_.find(project_id);
  if (it == states_.end()) {
    if (event.event_case() != v1::ProjectEvent::kProjectOpened) return;
    it = states_.emplace(project_id, v1::FunderProjectFacts()).first;
  }
  v1::FunderProjectFacts& facts = it->second;
  switch (event.event_case()) {
    case v1::ProjectEvent::kProjectOpened: {
      const v1::ProjectOpened& e = event.project_opened();
      facts.set_project_id(e.project_id());
      facts.set_gender_category(e.gender_category());
      facts.set_age_band(e.age_band());
      facts.set_employing_cpas_id(e.employing_cpas_id());
      facts.set_months_on_integration_income(e.months_on_integration_income());
      *facts.mutable_contract_start_date() = e.contract_start_date();
      *facts.mutable_expected_end_date() = e.expected_end_date();
      break;
    }
    case v1::ProjectEvent::kWorkedDaysRecorded:
      *facts.mutable_expected_end_date() =
          event.worked_days_recorded().expected_end_date();
      break;
    case v1::ProjectEvent::kContractEnded: {
      const v1::ContractEnded& e = event.contract_ended();
      facts.set_ended(true);
      *facts.mutable_ended_on() = e.ended_on();
      facts.set_exit_outcome(e.exit_outcome());
      break;
    }
    default:
      // Nothing else enters a funder report.
      return;
  }
  MarkChanged(project_id);
}

v1::FunderReport FunderReportProjection::Report(
    const v1::Date& period_start, const v1::Date& period_end,
    std::string_view employing_cpas_id) const {
  int64_t participants = 0;
  int64_t exits = 0;
  Tally<v1::GenderCategory> genders(
      {v1::GENDER_CATEGORY_WOMAN, v1::GENDER_CATEGORY_MAN,
       v1::GENDER_CATEGORY_NON_BINARY, v1::GENDER_CATEGORY_NOT_DISCLOSED});
  Tally<v1::AgeBand> ages(
      {v1::AGE_BAND_UNDER_36, v1::AGE_BAND_36_TO_49, v1::AGE_BAND_50_AND_OVER});
  Tally<std::string> cpas({});
  Tally<v1::PriorStatusBand> prior({v1::PRIOR_STATUS_BAND_UNDER_12_MONTHS,
                                    v1::PRIOR_STATUS_BAND_12_TO_23_MONTHS,
                                    v1::PRIOR_STATUS_BAND_24_MONTHS_AND_OVER});
  Tally<v1::FunderExitCategory> exit_categories(
      {v1::FUNDER_EXIT_CATEGORY_EMPLOYMENT,
       v1::FUNDER_EXIT_CATEGORY_SELF_EMPLOYMENT_OR_HAND_OFF,
       v1::FUNDER_EXIT_CATEGORY_TRAINING, v1::FUNDER_EXIT_CATEGORY_OTHER});
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [id, facts] : states_) {
      if (!employing_cpas_id.empty() &&
          facts.employing_cpas_id() != employing_cpas_id) {
        continue;
      }
      if (Overlaps(facts, period_start, period_end)) {
        ++participants;
        genders.Add(facts.gender_category());
        ages.Add(facts.age_band());
        cpas.Add(facts.employing_cpas_id());
        prior.Add(PriorStatusBandOf(facts.months_on_integration_income()));
      }
      if (EndedWithin(facts, period_start, period_end)) {
        ++exits;
        exit_categories.Add(ExitCategoryOf(facts.exit_outcome()));
      }
    }
  }
  // The four breakdowns of participants share their total: withheld by
  // one, it is withheld in all.
  bool participants_withheld = genders.Seal(participants);
  participants_withheld |= ages.Seal(participants);
  participants_withheld |= cpas.Seal(participants);
  participants_withheld |= prior.Seal(participants);
  const bool exits_withheld = exit_categories.Seal(exits);

  v1::FunderReport report;
  *report.mutable_period_start() = period_start;
  *report.mutable_period_end() = period_end;
  report.set_employing_cpas_id(std::string(employing_cpas_id));
  *report.mutable_participants() =
      Reported(participants, participants_withheld);
  genders.ForEachRow([&report](v1::GenderCategory key, v1::ReportCount count) {
    v1::GenderCount& row = *report.add_by_gender();
    row.set_gender_category(key);
    *row.mutable_participants() = std::move(count);
  });
  ages.ForEachRow([&report](v1::AgeBand key, v1::ReportCount count) {
    v1::AgeBandCount& row = *report.add_by_age_band();
    row.set_age_band(key);
    *row.mutable_participants() = std::move(count);
  });
  cpas.ForEachRow([&report](const std::string& key, v1::ReportCount count) {
    v1::CpasCount& row = *report.add_by_employing_cpas();
    row.set_employing_cpas_id(key);
    *row.mutable_participants() = std::move(count);
  });
  prior.ForEachRow([&report](v1::PriorStatusBand key, v1::ReportCount count) {
    v1::PriorStatusCount& row = *report.add_by_prior_status();
    row.set_band(key);
    *row.mutable_participants() = std::move(count);
  });
  *report.mutable_exits() = Reported(exits, exits_withheld);
  exit_categories.ForEachRow(
      [&report](v1::FunderExitCategory key, v1::ReportCount count) {
        v1::ExitCount& row = *report.add_exits_by_category();
        row.set_category(key);
        *row.mutable_exits() = std::move(count);
      });
  return report;
}

}  // namespace coopcraft::projections
