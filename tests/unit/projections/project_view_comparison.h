// Comparing project views in the engine tests: every project a view lists,
// seen on one fixed day, and an expectation that two views agree.
#ifndef COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROJECT_VIEW_COMPARISON_H_
#define COOPCRAFT_TESTS_UNIT_PROJECTIONS_PROJECT_VIEW_COMPARISON_H_

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
