// Calendar arithmetic on coopcraft.v1.Date.
#include "services/domain/date.h"

#include "absl/strings/str_format.h"

namespace coopcraft::domain {

bool IsValidDate(const coopcraft::v1::Date& date) {
  if (date.year() < 1900 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  if (date.day() < 1 || date.day() > 31) return false;
  // CivilDay normalises 31 April to 1 May; a real date survives unchanged.
  absl::CivilDay day(date.year(), date.month(), date.day());
  return day.month() == date.month() && day.day() == date.day();
}

absl::Status ValidateDate(const coopcraft::v1::Date& date,
                          std::string_view field) {
  if (IsValidDate(date)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("%s: %04d-%02d-%02d is not a valid date (1900-9999)",
                      field, date.year(), date.month(), date.day()));
}

absl::CivilDay ToCivilDay(const coopcraft::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

coopcraft::v1::Date FromCivilDay(absl::CivilDay day) {
  coopcraft::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

int CompareDates(const coopcraft::v1::Date& a, const coopcraft::v1::Date& b) {
  if (a.year() != b.year()) return a.year() < b.year() ? -1 : 1;
  if (a.month() != b.month()) return a.month() < b.month() ? -1 : 1;
  if (a.day() != b.day()) return a.day() < b.day() ? -1 : 1;
  return 0;
}

int64_t DaysBetween(const coopcraft::v1::Date& from,
                    const coopcraft::v1::Date& to) {
  return ToCivilDay(to) - ToCivilDay(from);
}

int AgeOn(const coopcraft::v1::Date& birth, const coopcraft::v1::Date& on) {
  int age = on.year() - birth.year();
  if (on.month() < birth.month() ||
      (on.month() == birth.month() && on.day() < birth.day())) {
    --age;
  }
  return age;
}

std::string FormatDate(const coopcraft::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

}  // namespace coopcraft::domain
