// What a caller receives of an event's personal fields: decrypted for roles
// that may read them (and only while the person is not erased), never for
// the others. Every event read through EventStreamService passes here.
#ifndef COOPCRAFT_SERVICES_API_PERSONAL_DATA_VIEW_H_
#define COOPCRAFT_SERVICES_API_PERSONAL_DATA_VIEW_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/audit_service.pb.h"
#include "coopcraft/v1/event_stream_service.pb.h"
#include "services/auth/principal.h"
#include "services/privacy/access_trail.h"
#include "services/privacy/event_sealer.h"
#include "services/privacy/pseudonymizer.h"

namespace coopcraft::api {

// What readers of personal data need; null parts switch their duty off
// (unit tests and in-process benchmarks without keys). None owned.
struct PersonalDataParts {
  const privacy::EventSealer* sealer = nullptr;
  const privacy::Pseudonymizer* pseudonymizer = nullptr;
  privacy::AccessTrail* trail = nullptr;
};

// Thread-safe; `sealer` (null: no keys, nothing is decrypted) must outlive
// it.
class PersonalDataView {
 public:
  // `pseudonymizer` (null: person ids are served as stored) likewise.
  PersonalDataView(const privacy::EventSealer* sealer,
                   const privacy::Pseudonymizer* pseudonymizer)
      : sealer_(sealer), pseudonymizer_(pseudonymizer) {}

  // Rewrites `event`'s payload for a caller who may (`may_see`) or may not
  // read personal data, and sets event->personal_data. For a caller who may
  // not, every personal field is cleared even if it was stored in clear,
  // the sealed ciphertexts stay as stored, and every person_id becomes its
  // stable pseudonym. Events of types without
  // personal fields, nearly all of them, are not parsed. Returns the person
  // whose data it served in clear, if any (for the access trail).
  std::optional<std::string> Apply(bool may_see,
                                   coopcraft::v1::RecordedEvent* event) const;

  // True when Apply(may_see, event) would change nothing and return
  // nullopt: the event may be served exactly as stored (and its encoding
  // shared between callers).
  bool LeavesAsStored(bool may_see,
                      const coopcraft::v1::RecordedEvent& event) const;

 private:
  const privacy::EventSealer* const sealer_;
  const privacy::Pseudonymizer* const pseudonymizer_;
};

// The people whose personal data one call (or one subscription batch)
// served in clear, to be written to the access trail before the data
// leaves: a read that cannot be recorded is not served.
class ServedPersonalData {
 public:
  void Add(const std::string& person_id, uint64_t position);
  bool empty() const { return by_person_.empty(); }
  // One record per person into `trail` (null: nothing to record to).
  absl::Status RecordTo(privacy::AccessTrail* trail,
                        const auth::Principal& caller,
                        absl::string_view method) const;

 private:
  struct Served {
    uint64_t count = 0;
    uint64_t first = 0;
    uint64_t last = 0;
  };
  std::map<std::string, Served> by_person_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_PERSONAL_DATA_VIEW_H_
