// ReadProjectEvent: the project-stream filter every project-keyed view
// starts its Apply with.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_EVENT_READER_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_EVENT_READER_H_

#include <string>

#include "coopcraft/v1/event_record.pb.h"
#include "coopcraft/v1/project_events.pb.h"

namespace coopcraft::projections {

// Unpacks a project stream's event into `event` and sets `*project_id`;
// false for another stream, another aggregate's event or a payload that
// does not parse (a view skips those: the log's hash chain, not a view, is
// where corruption is reported).
bool ReadProjectEvent(const coopcraft::v1::EventRecord& record,
                      coopcraft::v1::ProjectEvent* event,
                      std::string* project_id);

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECT_EVENT_READER_H_
