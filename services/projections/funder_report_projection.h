// FunderReportProjection: per project, the few facts funders' aggregate
// reports need (gender category, age band, employing CPAS, months on
// integration income, contract span, exit); the report of a period is
// aggregated when asked, with small counts suppressed.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_FUNDER_REPORT_PROJECTION_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_FUNDER_REPORT_PROJECTION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "coopcraft/v1/project_events.pb.h"
#include "coopcraft/v1/report_views.pb.h"
#include "services/projections/keyed_state_projection.h"

namespace coopcraft::projections {

// Counts from 1 to this are withheld from funder reports.
inline constexpr int64_t kLargestSuppressedCount = 4;

// `count` as reported: suppressed when 1 to 4, shown otherwise.
coopcraft::v1::ReportCount ReportedCount(int64_t count);

// Which counts of one breakdown to withhold: `cells` add up to `total`.
struct Withheld {
  std::vector<bool> cells;
  bool total = false;
};

// Withholding the counts from 1 to 4 alone is not enough: with the total
// shown, one withheld cell is the total minus the others, and two withheld
// cells adding up to 2 are both 1. So more cells are withheld, the
// smallest non-zero shown ones first, until at least two are and together
// they exceed kLargestSuppressedCount; when none is left, the total is
// withheld too.
Withheld CountsToWithhold(const std::vector<int64_t>& cells, int64_t total);

// The band of `months` on integration income before applying.
coopcraft::v1::PriorStatusBand PriorStatusBandOf(int32_t months);

// How funders group `outcome`.
coopcraft::v1::FunderExitCategory ExitCategoryOf(
    coopcraft::v1::ExitOutcome outcome);

// Threading: see Projection. Report takes a reader lock and may run on any
// thread concurrently with Apply.
class FunderReportProjection final
    : public KeyedStateProjection<coopcraft::v1::FunderProjectFacts> {
 public:
  std::string_view name() const override { return "funder_report"; }
  uint32_t version() const override { return 1; }
  void Apply(const DecodedEvent& decoded) override;

  // The report of [period_start, period_end] (valid dates, in order), for
  // the participants employed by `employing_cpas_id` (empty: all).
  // Participants are the projects whose contract (start to actual end, or
  // to the expected end while it runs; open-ended when unknown) overlaps
  // the period; exits are the contracts that ended within it.
  coopcraft::v1::FunderReport Report(const coopcraft::v1::Date& period_start,
                                     const coopcraft::v1::Date& period_end,
                                     std::string_view employing_cpas_id) const;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_FUNDER_REPORT_PROJECTION_H_
