// What the crash writer appends, derived from the event id alone so that
// the checking parent can recompute every byte it expects to find.
#ifndef COOPCRAFT_TESTS_CRASH_CRASH_EVENT_H_
#define COOPCRAFT_TESTS_CRASH_CRASH_EVENT_H_

#include <string>
#include <string_view>

namespace coopcraft::crash {

inline constexpr std::string_view kCrashEventType =
    "coopcraft.test.CrashWritten";

// The id repeated 1 to 8 times, chosen by its last hex digit, so payload
// sizes vary from record to record.
inline std::string PayloadFor(std::string_view event_id) {
  char last = event_id.empty() ? '0' : event_id.back();
  int copies = 1 + (last >= 'a' ? last - 'a' + 10 : last - '0') % 8;
  std::string payload;
  for (int i = 0; i < copies; ++i) payload.append(event_id);
  return payload;
}

}  // namespace coopcraft::crash

#endif  // COOPCRAFT_TESTS_CRASH_CRASH_EVENT_H_
