// Proto -> storage expected revision.
#include "services/app/command_context.h"

namespace coopcraft::app {

std::optional<storage::ExpectedRevision> ExpectedFromProto(
    const coopcraft::v1::ExpectedRevision& expected, bool has_expected) {
  if (!has_expected) return std::nullopt;
  switch (expected.condition_case()) {
    case coopcraft::v1::ExpectedRevision::kNoStream:
      return storage::ExpectedRevision::NoStream();
    case coopcraft::v1::ExpectedRevision::kStreamExists:
      return storage::ExpectedRevision::StreamExists();
    case coopcraft::v1::ExpectedRevision::kExact:
      return storage::ExpectedRevision::Exact(expected.exact());
    case coopcraft::v1::ExpectedRevision::CONDITION_NOT_SET:
      break;
  }
  return std::nullopt;
}

}  // namespace coopcraft::app
