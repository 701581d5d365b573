// Query-time parts of the project view.
#include "services/projections/risk_flags.h"

#include "absl/time/civil_time.h"
#include "services/domain/date.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr int kEndingSoonDays = 90;
constexpr int kMentorGraceMonths = 3;
constexpr int kFundingDeadlineDays = 14;

bool EndingWithoutEvaluation(const v1::ProjectView& view,
                             const v1::Date& today) {
  const v1::ContractView& contract = view.contract();
  if (contract.ended() || view.has_evaluation() ||
      !domain::IsValidDate(contract.expected_end_date())) {
    return false;
  }
  return domain::DaysBetween(today, contract.expected_end_date()) <=
         kEndingSoonDays;
}

bool NoMentorMeeting(const v1::ProjectView& view, const v1::Date& today) {
  const v1::ContractView& contract = view.contract();
  if (contract.ended() || view.mentoring().meetings_held() > 0 ||
      !domain::IsValidDate(contract.start_date())) {
    return false;
  }
  const absl::CivilDay start = domain::ToCivilDay(contract.start_date());
  // The same day of the month three months on, clamped to the month's end.
  const absl::CivilMonth month = absl::CivilMonth(start) + kMentorGraceMonths;
  absl::CivilDay due(month.year(), month.month(), start.day());
  if (absl::CivilMonth(due) != month) due = absl::CivilDay(month + 1) - 1;
  return domain::ToCivilDay(today) >= due;
}

bool FundingDeadlineNotSubmitted(const v1::ProjectView& view,
                                 const v1::Date& today) {
  for (const v1::FundingApplicationView& application :
       view.funding_applications()) {
    if (application.outcome() != v1::FUNDING_OUTCOME_UNSPECIFIED ||
        !domain::IsValidDate(application.deadline())) {
      continue;
    }
    const int64_t days = domain::DaysBetween(today, application.deadline());
    const bool sent = domain::IsValidDate(application.submitted_on()) &&
                      !domain::DateBefore(today, application.submitted_on());
    if (days >= 0 && days <= kFundingDeadlineDays && !sent) return true;
  }
  return false;
}

}  // namespace

std::vector<v1::RiskFlag> RiskFlagsOn(const v1::ProjectView& view,
                                      const v1::Date& today) {
  std::vector<v1::RiskFlag> flags;
  if (EndingWithoutEvaluation(view, today)) {
    flags.push_back(v1::RISK_FLAG_CONTRACT_ENDING_WITHOUT_EVALUATION);
  }
  if (NoMentorMeeting(view, today)) {
    flags.push_back(v1::RISK_FLAG_NO_MENTOR_MEETING);
  }
  if (FundingDeadlineNotSubmitted(view, today)) {
    flags.push_back(v1::RISK_FLAG_FUNDING_DEADLINE_NOT_SUBMITTED);
  }
  return flags;
}

void CompleteForToday(const v1::Date& today, v1::ProjectView* view) {
  v1::ContractView* contract = view->mutable_contract();
  if (domain::IsValidDate(contract->expected_end_date())) {
    contract->set_days_left(static_cast<int32_t>(
        domain::DaysBetween(today, contract->expected_end_date())));
  }
  view->clear_risk_flags();
  for (v1::RiskFlag flag : RiskFlagsOn(*view, today)) {
    view->add_risk_flags(flag);
  }
}

}  // namespace coopcraft::projections
