// Renders a project's Gantt chart as a standalone SVG document.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_GANTT_SVG_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_GANTT_SVG_H_

#include <string>

#include "absl/strings/string_view.h"
#include "coopcraft/v1/common.pb.h"
#include "coopcraft/v1/report_views.pb.h"

namespace coopcraft::projections {

// `text` with &, <, >, " and ' replaced by XML entities, safe in both
// element content and attribute values.
std::string EscapeXml(absl::string_view text);

// A pure function of its arguments, so the same view and day always give
// the same bytes. Layout: a time axis with a tick and label on the first of
// every month; one row for the contract, one per stage bar and one per
// milestone, each drawn as exactly one <rect> (milestones: the current
// planned dates) with a <title>; a dashed line under a milestone for its
// first planned dates when it moved; a diamond marker on its completion
// day; open stages drawn up to `today`; a vertical "today" line when
// `today` lies on the axis.
std::string RenderGanttSvg(const coopcraft::v1::GanttView& view,
                           const coopcraft::v1::Date& today);

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_GANTT_SVG_H_
