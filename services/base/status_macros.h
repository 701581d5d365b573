// RETURN_IF_ERROR / ASSIGN_OR_RETURN: Debian's Abseil (20220623) ships none.
#ifndef COOPCRAFT_SERVICES_BASE_STATUS_MACROS_H_
#define COOPCRAFT_SERVICES_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                                                 \
  do {                                                                        \
    if (::absl::Status _coopcraft_status = (expr); !_coopcraft_status.ok()) { \
      return _coopcraft_status;                                               \
    }                                                                         \
  } while (false)

#define COOPCRAFT_STATUS_CONCAT_INNER(a, b) a##b
#define COOPCRAFT_STATUS_CONCAT(a, b) COOPCRAFT_STATUS_CONCAT_INNER(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`, which may be a
// declaration (`auto x`) or an existing variable.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  COOPCRAFT_ASSIGN_OR_RETURN_IMPL(   \
      COOPCRAFT_STATUS_CONCAT(_coopcraft_statusor_, __LINE__), lhs, rexpr)

#define COOPCRAFT_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) {                                       \
    return std::move(statusor).status();                      \
  }                                                           \
  lhs = *std::move(statusor)

#endif  // COOPCRAFT_SERVICES_BASE_STATUS_MACROS_H_
