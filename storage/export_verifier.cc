// Export files: magic line, then length-delimited EventRecords.
#include "storage/export_verifier.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/record_hash.h"

namespace coopcraft::storage {

using ::coopcraft::v1::EventRecord;

// Ends the problem of a first record that does not tell its position.
constexpr char kStartUnknown[] =
    ", so the position the file starts at is unknown";

absl::Status WriteExportHeader(std::ostream& out) {
  out.write(kExportMagic.data(),
            static_cast<std::streamsize>(kExportMagic.size()));
  if (!out) return absl::UnavailableError("cannot write the export header");
  return absl::OkStatus();
}

absl::Status WriteExportRecord(const EventRecord& record, std::ostream& out) {
  {
    google::protobuf::io::OstreamOutputStream stream(&out);
    if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(record,
                                                                    &stream)) {
      return absl::UnavailableError(absl::StrCat(
          "cannot write the record at position ", record.position()));
    }
  }  // Flushes the stream's buffer into `out`.
  if (!out) {
    return absl::UnavailableError(absl::StrCat(
        "cannot write the record at position ", record.position()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ExportVerification> VerifyExport(std::istream& in) {
  std::string magic(kExportMagic.size(), '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (!in || magic != kExportMagic) {
    return absl::InvalidArgumentError(
        "not a coopcraft export file (the magic line is missing)");
  }
  google::protobuf::io::IstreamInputStream stream(&in);
  ExportVerification verification;
  std::optional<uint64_t> expected;
  std::string prev_hash;
  // Whether the file ends or breaks, the head is the last good record.
  auto finish = [&]() -> ExportVerification {
    if (verification.verified_count > 0) {
      verification.head_position = *expected - 1;
      verification.head_hash = std::move(prev_hash);
    }
    return std::move(verification);
  };
  EventRecord record;
  while (true) {
    bool clean_eof = false;
    // The parse merges into `record`: fields absent in this record (proto3
    // zeros such as revision 0) must not keep the previous record's values.
    record.Clear();
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(
            &record, &stream, &clean_eof)) {
      if (clean_eof) break;
      // Before the first record parses, its position is unknown (0).
      verification.first_bad_position = expected.value_or(0);
      verification.problem =
          expected
              ? std::string("record is truncated or unparseable")
              : absl::StrCat("the first record is truncated or unparseable",
                             kStartUnknown);
      return finish();
    }
    if (!expected) {
      // An anchor that is not a hash could not be compared with the
      // server's hash of the position before.
      if (record.position() == 0 ||
          (record.position() != 1 && record.prev_hash().size() != kHashSize)) {
        verification.first_bad_position = record.position();
        verification.problem =
            record.position() == 0
                ? absl::StrCat("the first record claims position 0",
                               kStartUnknown)
                : absl::StrCat("prev_hash of the first record is ",
                               record.prev_hash().size(), " bytes, not ",
                               kHashSize);
        return finish();
      }
      expected = record.position();
      prev_hash =
          record.position() == 1 ? std::string(ZeroHash()) : record.prev_hash();
      verification.first_position = record.position();
      verification.anchor_hash = prev_hash;
    }
    if (std::optional<std::string> problem =
            ChainLinkProblem(record, *expected, prev_hash)) {
      verification.first_bad_position = *expected;
      verification.problem = *std::move(problem);
      return finish();
    }
    prev_hash.swap(*record.mutable_hash());
    ++verification.verified_count;
    ++*expected;
  }
  return finish();
}

}  // namespace coopcraft::storage
