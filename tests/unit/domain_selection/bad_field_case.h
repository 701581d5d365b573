// Table-driven bad-input tests: each case is a valid request spoiled in one
// field, and the field path its INVALID_ARGUMENT must name.
#ifndef COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_BAD_FIELD_CASE_H_
#define COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_BAD_FIELD_CASE_H_

#include <functional>
#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "services/api/validation/cohort_validation.h"
#include "services/api/validation/selection_validation.h"

namespace coopcraft::testing {

struct BadFieldCase {
  std::string name;
  std::function<absl::Status()> validate;
  std::string field;
};

inline void PrintTo(const BadFieldCase& c, std::ostream* out) {
  *out << c.name;
}

// `request` with `spoil` applied must be refused naming `field`.
template <typename Request, typename Spoil>
BadFieldCase Bad(std::string name, Request request, Spoil spoil,
                 std::string field) {
  spoil(request);
  return BadFieldCase{std::move(name),
                      [request] { return api::Validate(request); },
                      std::move(field)};
}

inline std::string BadFieldCaseName(
    const ::testing::TestParamInfo<BadFieldCase>& info) {
  return info.param.name;
}

// Defined once (selection_validation_test.cc), instantiated per service.
class BadFieldTest : public ::testing::TestWithParam<BadFieldCase> {};

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_UNIT_DOMAIN_SELECTION_BAD_FIELD_CASE_H_
