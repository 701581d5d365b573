// ReadProjectEvent: which project an event belongs to, and its payload.
#include "services/projections/project_event_reader.h"

#include "absl/strings/match.h"
#include "services/app/event_envelope.h"

namespace coopcraft::projections {
namespace {
constexpr char kProjectStreamPrefix[] = "project-";
}  // namespace

bool ReadProjectEvent(const coopcraft::v1::EventRecord& record,
                      coopcraft::v1::ProjectEvent* event,
                      std::string* project_id) {
  if (!absl::StartsWith(record.stream(), kProjectStreamPrefix)) return false;
  if (!app::UnpackEnvelope(record, event).ok()) return false;
  *project_id = record.stream().substr(sizeof(kProjectStreamPrefix) - 1);
  return true;
}

}  // namespace coopcraft::projections
