// Comparing project views in the engine tests: every project a view lists,
// seen on one fixed day, how much of the log it reflects, and an
// expectation that two views agree.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROJECT_VIEW_COMPARISON_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROJECT_VIEW_COMPARISON_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "coopcraft/v1/common.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/projections/project_view_projection.h"

namespace coopcraft::projections::testing {

// The day the views are listed on, so that derived fields (lateness,
// risk flags) do not depend on when the test runs.
inline coopcraft::v1::Date ViewDay() {
  coopcraft::v1::Date date;
  date.set_year(2026);
  date.set_month(6);
  date.set_day(1);
  return date;
}

inline std::vector<coopcraft::v1::ProjectView> AllViews(
    const ProjectViewProjection& views) {
  return views.List({}, "", 1 << 30, ViewDay()).projects;
}

// How much of the log a project view reflects: how many projects it knows
// and the newest position folded into any of them. Both only grow along
// the log of these tests (projects are never removed).
struct Reflected {
  size_t projects = 0;
  uint64_t newest = 0;
};

inline Reflected Measure(const ProjectViewProjection& views) {
  Reflected reflected;
  for (const coopcraft::v1::ProjectView& view : AllViews(views)) {
    ++reflected.projects;
    reflected.newest = std::max(reflected.newest, view.last_position());
  }
  return reflected;
}

inline void ExpectSameViews(const ProjectViewProjection& a,
                            const ProjectViewProjection& b) {
  std::vector<coopcraft::v1::ProjectView> left = AllViews(a);
  std::vector<coopcraft::v1::ProjectView> right = AllViews(b);
  ASSERT_EQ(left.size(), right.size());
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(left[i], right[i]))
        << left[i].project_id();
  }
}

}  // namespace coopcraft::projections::testing

#endif  // COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROJECT_VIEW_COMPARISON_H_
