// Field-level checks of CohortService requests.
#include "services/api/validation/cohort_validation.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

// Helpers that feed absl::StrCat take absl::string_view: Debian's Abseil
// has its own string_view type, distinct from std::string_view.

constexpr int kMinMeetingMinutes = 15;
// A working day; a longer "meeting" is a typing error.
constexpr int kMaxMeetingMinutes = 480;
constexpr int kMaxAttendees = 100;
constexpr int kMaxAgendaItems = 30;

void ValidateAgendaItem(FieldErrors& errors, const std::string& field,
                        const coopcraft::v1::AgendaItem& item) {
  errors.RequireEnum(Path(field, "kind"), item.kind(),
                     coopcraft::v1::AgendaItemKind_descriptor());
  errors.RequireText(Path(field, "topic"), item.topic(), kMaxShortText);
  errors.RequireRange(Path(field, "duration_minutes"), item.duration_minutes(),
                      1, kMaxMeetingMinutes);
  const std::string speaking = Path(field, "speaking_times");
  errors.RequireCount(speaking, item.speaking_times_size(), 0, kMaxAttendees);
  for (int i = 0; i < item.speaking_times_size(); ++i) {
    const std::string entry = Indexed(speaking, i);
    errors.RequireId(Path(entry, "project_id"),
                     item.speaking_times(i).project_id());
    errors.RequireRange(Path(entry, "minutes"),
                        item.speaking_times(i).minutes(), 0,
                        kMaxMeetingMinutes);
  }
}

}  // namespace

absl::Status Validate(const coopcraft::v1::RecordGroupMeetingRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("call_id", request.call_id());
  errors.RequireId("meeting_id", request.meeting_id());
  errors.RequireDate("held_on", request.has_held_on(), request.held_on());
  errors.RequireId("facilitator_id", request.facilitator_id());
  errors.RequireRange("duration_minutes", request.duration_minutes(),
                      kMinMeetingMinutes, kMaxMeetingMinutes);
  // Whether anyone attended, and whether lists overlap, are rules of the
  // cohort decider; here only their size and ids.
  errors.RequireCount("present_project_ids", request.present_project_ids_size(),
                      0, kMaxAttendees);
  for (int i = 0; i < request.present_project_ids_size(); ++i) {
    errors.RequireId(Indexed("present_project_ids", i),
                     request.present_project_ids(i));
  }
  errors.RequireCount("absences", request.absences_size(), 0, kMaxAttendees);
  for (int i = 0; i < request.absences_size(); ++i) {
    errors.RequireId(Path(Indexed("absences", i), "project_id"),
                     request.absences(i).project_id());
  }
  errors.RequireCount("agenda_items", request.agenda_items_size(), 1,
                      kMaxAgendaItems);
  for (int i = 0; i < request.agenda_items_size(); ++i) {
    ValidateAgendaItem(errors, Indexed("agenda_items", i),
                       request.agenda_items(i));
  }
  return errors.ToStatus();
}

}  // namespace coopcraft::api
