// The stream that holds one project's events.
#ifndef COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STREAM_H_
#define COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STREAM_H_

#include <string>
#include <string_view>

namespace coopcraft::domain::project {

// "project-<project_id>"; the id is opaque (it equals the application id),
// so the stream name carries no personal data.
inline std::string ProjectStream(std::string_view project_id) {
  std::string stream = "project-";
  stream.append(project_id);
  return stream;
}

}  // namespace coopcraft::domain::project

#endif  // COOPCRAFT_SERVICES_DOMAIN_PROJECT_PROJECT_STREAM_H_
