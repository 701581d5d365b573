// ProjectionCatalog: every projection the server can build, by name, so
// an audit replay can fold a fresh, private instance of any of them
// without touching the live one.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_CATALOG_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_CATALOG_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/projections/projection.h"

namespace coopcraft::projections {

// Immutable once built; thread-safe for concurrent Create calls.
class ProjectionCatalog {
 public:
  using Factory = std::function<std::unique_ptr<Projection>()>;

  // Every projection coopcraftd runs.
  static const ProjectionCatalog& Default();

  // Registers `factory` under the name of the projections it makes.
  explicit ProjectionCatalog(std::vector<Factory> factories);

  // A fresh, empty instance; NOT_FOUND (listing the known names) for an
  // unknown name.
  absl::StatusOr<std::unique_ptr<Projection>> Create(
      std::string_view name) const;

  // Known names, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_PROJECTION_CATALOG_H_
