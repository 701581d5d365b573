// Calendar arithmetic on coopcraft.v1.Date for domain rules. Dates are civil
// days in Europe/Brussels; no time zone conversion happens here.
#ifndef COOPCRAFT_SERVICES_DOMAIN_DATE_H_
#define COOPCRAFT_SERVICES_DOMAIN_DATE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "coopcraft/v1/common.pb.h"

namespace coopcraft::domain {

// True when `date` is set and names a real day between 1900-01-01 and
// 9999-12-31.
bool IsValidDate(const coopcraft::v1::Date& date);

// INVALID_ARGUMENT naming `field` when `date` is not a valid date.
absl::Status ValidateDate(const coopcraft::v1::Date& date,
                          std::string_view field);

// Conversions; ToCivilDay requires IsValidDate(date).
absl::CivilDay ToCivilDay(const coopcraft::v1::Date& date);
coopcraft::v1::Date FromCivilDay(absl::CivilDay day);

// Negative, zero or positive as a is before, equal to or after b.
int CompareDates(const coopcraft::v1::Date& a, const coopcraft::v1::Date& b);
inline bool DateBefore(const coopcraft::v1::Date& a,
                       const coopcraft::v1::Date& b) {
  return CompareDates(a, b) < 0;
}

// Whole days from `from` to `to` (negative when `to` is earlier).
int64_t DaysBetween(const coopcraft::v1::Date& from,
                    const coopcraft::v1::Date& to);

// Completed years of age on `on` for someone born on `birth`.
int AgeOn(const coopcraft::v1::Date& birth, const coopcraft::v1::Date& on);

// ISO 8601 text, e.g. "2026-03-01".
std::string FormatDate(const coopcraft::v1::Date& date);

}  // namespace coopcraft::domain

#endif  // COOPCRAFT_SERVICES_DOMAIN_DATE_H_
