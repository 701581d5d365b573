// RenderGanttSvg: lays out the chart on a linear day axis whose ends are
// month boundaries, so the first and last ticks frame the chart.
#include "services/projections/gantt_svg.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/domain/date.h"

namespace coopcraft::projections {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr double kLabelWidth = 220;
constexpr double kChartWidth = 720;
constexpr double kAxisHeight = 30;
constexpr double kRowHeight = 24;
constexpr double kBarHeight = 14;

std::string StageName(v1::ProjectStage stage) {
  switch (stage) {
    case v1::PROJECT_STAGE_ROADMAP:
      return "Roadmap";
    case v1::PROJECT_STAGE_FOLLOW_UP:
      return "Follow-up";
    case v1::PROJECT_STAGE_EVALUATED:
      return "Evaluated";
    case v1::PROJECT_STAGE_HAND_OFF:
      return "Hand-off";
    case v1::PROJECT_STAGE_CONTRACT_ENDED:
      return "Contract ended";
    case v1::PROJECT_STAGE_CLOSED:
      return "Closed";
    default:
      return "Stage";
  }
}

std::string Num(double value) { return absl::StrFormat("%.1f", value); }

// At most about this many month ticks: one milestone dated decades ahead
// (a typo is enough) must not turn the chart into megabytes of ticks.
constexpr int64_t kMaxTicks = 36;

// Months between ticks: 1, 2, 3 or 6, else whole years, the smallest that
// keeps the axis within kMaxTicks.
int64_t TickStep(int64_t months) {
  for (int64_t step : {1, 2, 3, 6}) {
    if (months <= step * kMaxTicks) return step;
  }
  const int64_t years = (months + 12 * kMaxTicks - 1) / (12 * kMaxTicks);
  return 12 * years;
}

// The day axis: from the first of lo's month to the first of the month
// after hi.
class Axis {
 public:
  Axis(absl::CivilDay lo, absl::CivilDay hi)
      : lo_(absl::CivilDay(absl::CivilMonth(lo))),
        hi_(absl::CivilDay(absl::CivilMonth(hi) + 1)) {}

  absl::CivilDay lo() const { return lo_; }
  absl::CivilDay hi() const { return hi_; }
  bool Contains(absl::CivilDay day) const { return day >= lo_ && day <= hi_; }

  double X(absl::CivilDay day) const {
    const double span = static_cast<double>(hi_ - lo_);
    const double offset = static_cast<double>(std::clamp(day, lo_, hi_) - lo_);
    return kLabelWidth + offset * kChartWidth / span;
  }

 private:
  absl::CivilDay lo_;
  absl::CivilDay hi_;
};

void Collect(const v1::Date& date, std::vector<absl::CivilDay>& days) {
  if (domain::IsValidDate(date)) days.push_back(domain::ToCivilDay(date));
}

std::string DateText(const v1::Date& date) {
  return domain::IsValidDate(date) ? domain::FormatDate(date) : "open";
}

class Canvas {
 public:
  explicit Canvas(const Axis& axis) : axis_(axis) {}

  double RowTop(int row) const { return kAxisHeight + row * kRowHeight; }

  void Label(int row, absl::string_view text) {
    absl::StrAppend(&body_, "<text class=\"label\" x=\"4\" y=\"",
                    Num(RowTop(row) + kRowHeight * 0.7), "\">", EscapeXml(text),
                    "</text>\n");
  }

  void Bar(int row, absl::CivilDay from, absl::CivilDay to,
           absl::string_view css_class, absl::string_view title) {
    const double x = axis_.X(from);
    // At least one pixel, so a one-day bar stays visible.
    const double width = std::max(axis_.X(to + 1) - x, 1.0);
    absl::StrAppend(&body_, "<rect class=\"", css_class, "\" x=\"", Num(x),
                    "\" y=\"", Num(RowTop(row) + (kRowHeight - kBarHeight) / 2),
                    "\" width=\"", Num(width), "\" height=\"", Num(kBarHeight),
                    "\"><title>", EscapeXml(title), "</title></rect>\n");
  }

  void Baseline(int row, absl::CivilDay from, absl::CivilDay to,
                absl::string_view title) {
    const double y = RowTop(row) + kRowHeight - 2;
    absl::StrAppend(&body_, "<line class=\"first-planned\" x1=\"",
                    Num(axis_.X(from)), "\" y1=\"", Num(y), "\" x2=\"",
                    Num(axis_.X(to + 1)), "\" y2=\"", Num(y), "\"><title>",
                    EscapeXml(title), "</title></line>\n");
  }

  void Diamond(int row, absl::CivilDay day, absl::string_view title) {
    const double x = (axis_.X(day) + axis_.X(day + 1)) / 2;
    const double y = RowTop(row) + kRowHeight / 2;
    const double r = 6;
    absl::StrAppend(&body_, "<polygon class=\"actual\" points=\"", Num(x), ",",
                    Num(y - r), " ", Num(x + r), ",", Num(y), " ", Num(x), ",",
                    Num(y + r), " ", Num(x - r), ",", Num(y), "\"><title>",
                    EscapeXml(title), "</title></polygon>\n");
  }

  std::string& body() { return body_; }

 private:
  const Axis& axis_;
  std::string body_;
};

}  // namespace

std::string EscapeXml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderGanttSvg(const v1::GanttView& view, const v1::Date& today) {
  const absl::CivilDay today_day = domain::IsValidDate(today)
                                       ? domain::ToCivilDay(today)
                                       : absl::CivilDay(2000, 1, 1);
  std::vector<absl::CivilDay> days;
  const v1::GanttContract& contract = view.contract();
  Collect(contract.start_date(), days);
  Collect(contract.expected_end_date(), days);
  Collect(contract.actual_end_date(), days);
  for (const v1::GanttStageBar& bar : view.stages()) {
    Collect(bar.first_day(), days);
    Collect(bar.last_day(), days);
  }
  for (const v1::GanttMilestone& m : view.milestones()) {
    Collect(m.first_planned_start(), days);
    Collect(m.first_planned_end(), days);
    Collect(m.planned_start(), days);
    Collect(m.planned_end(), days);
    Collect(m.completed_on(), days);
  }
  if (days.empty()) days.push_back(today_day);
  const Axis axis(*std::min_element(days.begin(), days.end()),
                  *std::max_element(days.begin(), days.end()));

  const int rows = 1 + view.stages_size() + view.milestones_size();
  const double height = kAxisHeight + rows * kRowHeight + 10;
  const double width = kLabelWidth + kChartWidth + 10;
  Canvas canvas(axis);
  std::string& body = canvas.body();

  // Month ticks on the first of every month (or of every step-th month on
  // a long axis), both ends included.
  const absl::CivilMonth first_month(axis.lo());
  const int64_t step = TickStep(absl::CivilMonth(axis.hi()) - first_month);
  for (absl::CivilMonth month = first_month; absl::CivilDay(month) <= axis.hi();
       month += step) {
    const double x = axis.X(absl::CivilDay(month));
    absl::StrAppend(&body, "<line class=\"tick\" x1=\"", Num(x), "\" y1=\"",
                    Num(kAxisHeight - 6), "\" x2=\"", Num(x), "\" y2=\"",
                    Num(height - 10), "\"/>\n");
    absl::StrAppend(&body, "<text class=\"month\" x=\"", Num(x + 2), "\" y=\"",
                    Num(kAxisHeight - 10), "\">",
                    absl::StrFormat("%04d-%02d", month.year(), month.month()),
                    "</text>\n");
  }

  int row = 0;
  if (domain::IsValidDate(contract.start_date())) {
    const v1::Date& end = domain::IsValidDate(contract.actual_end_date())
                              ? contract.actual_end_date()
                              : contract.expected_end_date();
    const absl::CivilDay from = domain::ToCivilDay(contract.start_date());
    const absl::CivilDay to =
        domain::IsValidDate(end) ? domain::ToCivilDay(end) : from;
    canvas.Label(row, "Contract");
    canvas.Bar(row, from, std::max(from, to), "contract",
               absl::StrCat("Contract: ", DateText(contract.start_date()),
                            " to ", DateText(end)));
  } else {
    canvas.Label(row, "Contract");
  }
  ++row;

  for (const v1::GanttStageBar& bar : view.stages()) {
    canvas.Label(row, StageName(bar.stage()));
    if (domain::IsValidDate(bar.first_day())) {
      const absl::CivilDay from = domain::ToCivilDay(bar.first_day());
      // An open stage runs to today, within the axis.
      absl::CivilDay to = domain::IsValidDate(bar.last_day())
                              ? domain::ToCivilDay(bar.last_day())
                              : std::clamp(today_day, from, axis.hi());
      canvas.Bar(
          row, from, std::max(from, to), "stage",
          absl::StrCat(StageName(bar.stage()), ": ", DateText(bar.first_day()),
                       " to ", DateText(bar.last_day())));
    }
    ++row;
  }

  for (const v1::GanttMilestone& m : view.milestones()) {
    canvas.Label(row, m.title());
    if (domain::IsValidDate(m.planned_start()) &&
        domain::IsValidDate(m.planned_end())) {
      const absl::CivilDay from = domain::ToCivilDay(m.planned_start());
      canvas.Bar(
          row, from, std::max(from, domain::ToCivilDay(m.planned_end())),
          "planned",
          absl::StrCat(m.title(), ": planned ", DateText(m.planned_start()),
                       " to ", DateText(m.planned_end())));
    }
    if (m.times_moved() > 0 && domain::IsValidDate(m.first_planned_start()) &&
        domain::IsValidDate(m.first_planned_end())) {
      const absl::CivilDay from = domain::ToCivilDay(m.first_planned_start());
      canvas.Baseline(row, from,
                      std::max(from, domain::ToCivilDay(m.first_planned_end())),
                      absl::StrCat(m.title(), ": first planned ",
                                   DateText(m.first_planned_start()), " to ",
                                   DateText(m.first_planned_end())));
    }
    if (domain::IsValidDate(m.completed_on())) {
      canvas.Diamond(
          row, domain::ToCivilDay(m.completed_on()),
          absl::StrCat(m.title(), ": completed ", DateText(m.completed_on())));
    }
    ++row;
  }

  if (axis.Contains(today_day)) {
    const double x = axis.X(today_day);
    absl::StrAppend(&body, "<line class=\"today\" x1=\"", Num(x), "\" y1=\"",
                    Num(kAxisHeight - 6), "\" x2=\"", Num(x), "\" y2=\"",
                    Num(height - 10), "\"><title>Today ", DateText(today),
                    "</title></line>\n");
  }

  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"",
      Num(width), "\" height=\"", Num(height), "\" viewBox=\"0 0 ", Num(width),
      " ", Num(height), "\">\n<title>",
      EscapeXml(absl::StrCat("Gantt chart of ", view.title())),
      "</title>\n<style>"
      ".label,.month{font:11px sans-serif}.tick{stroke:#ddd}"
      ".contract{fill:#9e9e9e}.stage{fill:#4a90d9}.planned{fill:#f5c26b}"
      ".first-planned{stroke:#b07d1a;stroke-dasharray:4 2}"
      ".actual{fill:#2e7d32}.today{stroke:#d32f2f;stroke-width:2}"
      "</style>\n",
      body, "</svg>\n");
}

}  // namespace coopcraft::projections
