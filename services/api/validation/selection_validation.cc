// Field-level checks of SelectionService requests.
#include "services/api/validation/selection_validation.h"

#include <set>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "services/api/validation/field_errors.h"

namespace coopcraft::api {
namespace {

// Helpers that feed absl::StrCat take absl::string_view: Debian's Abseil
// has its own string_view type, distinct from std::string_view.

constexpr int kMaxPartnerCpas = 100;
constexpr int kMaxRubricCriteria = 20;
constexpr int kMaxCriterionScore = 100;
constexpr int kMaxPlaces = 1000;
constexpr int kMaxWaitlistRank = 1000;
// Fifty years: anything above is a typing error, not a path.
constexpr int kMaxMonthsOnIntegrationIncome = 600;
constexpr size_t kMaxReferenceLength = 2048;

// Names each entry whose id repeats an earlier one, as
// "<list>[i]<suffix>", e.g. "rubric[2].criterion_id".
template <typename List, typename IdOf>
void RequireDistinct(FieldErrors& errors, absl::string_view list_field,
                     absl::string_view suffix, const List& list, IdOf id_of) {
  std::set<std::string_view> seen;
  for (int i = 0; i < list.size(); ++i) {
    const std::string& id = id_of(list.Get(i));
    if (!id.empty() && !seen.insert(id).second) {
      errors.Add(absl::StrCat(Indexed(list_field, i), suffix),
                 absl::StrCat(id, " is listed twice"), "DUPLICATE");
    }
  }
}

// Digits with the usual separators, 6 to 20 digits, optional leading '+'.
void OptionalPhone(FieldErrors& errors, std::string_view field,
                   std::string_view value) {
  if (value.empty()) return;
  int digits = 0;
  bool ok = value.size() <= 32;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c == '+' ? i != 0
                        : std::string_view(" ./-()").find(c) ==
                              std::string_view::npos) {
      ok = false;
    }
  }
  if (!ok || digits < 6 || digits > 20) {
    errors.Add(field, "must be a phone number such as +32 2 123 45 67",
               "INVALID_PHONE");
  }
}

void ValidateAddress(FieldErrors& errors, const std::string& field,
                     const v1::PostalAddress& address) {
  errors.RequireText(Path(field, "street_address"), address.street_address(),
                     kMaxShortText);
  errors.RequireText(Path(field, "locality"), address.locality(),
                     kMaxShortText);
  const std::string_view code = address.postal_code();
  bool code_ok = code.size() >= 2 && code.size() <= 10;
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != ' ' &&
        c != '-') {
      code_ok = false;
    }
  }
  if (code.empty()) {
    errors.Add(Path(field, "postal_code"), "is required", "REQUIRED");
  } else if (!code_ok) {
    errors.Add(Path(field, "postal_code"),
               "must be 2-10 letters, digits, spaces or '-'", "INVALID_FORMAT");
  }
}

void ValidateApplicant(FieldErrors& errors, const std::string& field,
                       bool has_applicant, const v1::ApplicantDetails& a) {
  if (!has_applicant) {
    errors.Add(field, "is required", "REQUIRED");
    return;
  }
  errors.RequireText(Path(field, "given_name"), a.given_name(), kMaxShortText);
  errors.RequireText(Path(field, "family_name"), a.family_name(),
                     kMaxShortText);
  errors.RequireDate(Path(field, "birth_date"), a.has_birth_date(),
                     a.birth_date());
  errors.OptionalEmail(Path(field, "email"), a.email());
  OptionalPhone(errors, Path(field, "phone"), a.phone());
  if (a.has_postal_address()) {
    ValidateAddress(errors, Path(field, "postal_address"), a.postal_address());
  }
  // The programme must be able to answer the applicant somehow.
  if (a.email().empty() && a.phone().empty() && !a.has_postal_address()) {
    errors.Add(Path(field, "email"),
               "at least one of email, phone or postal_address is required",
               "CONTACT_REQUIRED");
  }
  errors.OptionalText(Path(field, "cv_reference"), a.cv_reference(),
                      kMaxReferenceLength);
  errors.RequireText(Path(field, "career_path"), a.career_path(), kMaxLongText);
  errors.RequireText(Path(field, "motivations"), a.motivations(), kMaxLongText);
  errors.RequireText(Path(field, "project_title"), a.project_title(),
                     kMaxShortText);
  errors.RequireText(Path(field, "project_pitch"), a.project_pitch(),
                     kMaxLongText);
}

// Free text that becomes mandatory when the chosen reason is "other" (or,
// for opinions, anything short of plainly favourable).
void TextRequiredWhen(FieldErrors& errors, std::string_view field,
                      std::string_view value, bool required) {
  if (required) {
    errors.RequireText(field, value, kMaxLongText);
  } else {
    errors.OptionalText(field, value, kMaxLongText);
  }
}

}  // namespace

absl::Status Validate(const v1::OpenCallRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("call_id", request.call_id());
  errors.RequireText("title", request.title(), kMaxShortText);
  errors.OptionalText("description", request.description(), kMaxLongText);
  errors.RequireDate("opens_on", request.has_opens_on(), request.opens_on());
  errors.RequireDate("closes_on", request.has_closes_on(), request.closes_on());
  errors.RequireCount("partner_cpas_ids", request.partner_cpas_ids_size(), 1,
                      kMaxPartnerCpas);
  for (int i = 0; i < request.partner_cpas_ids_size(); ++i) {
    errors.RequireId(Indexed("partner_cpas_ids", i),
                     request.partner_cpas_ids(i));
  }
  RequireDistinct(
      errors, "partner_cpas_ids", "", request.partner_cpas_ids(),
      [](const std::string& id) -> const std::string& { return id; });
  errors.RequireCount("rubric", request.rubric_size(), 1, kMaxRubricCriteria);
  for (int i = 0; i < request.rubric_size(); ++i) {
    const v1::RubricCriterion& criterion = request.rubric(i);
    const std::string field = Indexed("rubric", i);
    errors.RequireId(Path(field, "criterion_id"), criterion.criterion_id());
    errors.RequireText(Path(field, "title"), criterion.title(), kMaxShortText);
    errors.RequireRange(Path(field, "max_score"), criterion.max_score(), 1,
                        kMaxCriterionScore);
  }
  RequireDistinct(errors, "rubric", ".criterion_id", request.rubric(),
                  [](const v1::RubricCriterion& c) -> const std::string& {
                    return c.criterion_id();
                  });
  errors.RequireRange("places", request.places(), 1, kMaxPlaces);
  return errors.ToStatus();
}

absl::Status Validate(const v1::CloseCallRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("call_id", request.call_id());
  errors.RequireDate("closed_on", request.has_closed_on(), request.closed_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::SubmitApplicationRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireId("call_id", request.call_id());
  errors.RequireId("person_id", request.person_id());
  errors.RequireId("cpas_id", request.cpas_id());
  errors.RequireDate("received_on", request.has_received_on(),
                     request.received_on());
  ValidateApplicant(errors, "applicant", request.has_applicant(),
                    request.applicant());
  errors.RequireEnum("gender_category", request.gender_category(),
                     v1::GenderCategory_descriptor());
  errors.RequireEnum("education_level", request.education_level(),
                     v1::EducationLevel_descriptor());
  errors.RequireRange("months_on_integration_income",
                      request.months_on_integration_income(), 0,
                      kMaxMonthsOnIntegrationIncome);
  errors.RequireEnum("project_kind", request.project_kind(),
                     v1::ProjectKind_descriptor());
  return errors.ToStatus();
}

absl::Status Validate(const v1::ReviewApplicationRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireId("reviewer_id", request.reviewer_id());
  errors.RequireDate("reviewed_on", request.has_reviewed_on(),
                     request.reviewed_on());
  // Whether the scores match the call's rubric is a rule of the decider,
  // which knows the rubric.
  errors.RequireCount("scores", request.scores_size(), 1, kMaxRubricCriteria);
  for (int i = 0; i < request.scores_size(); ++i) {
    const std::string field = Indexed("scores", i);
    errors.RequireId(Path(field, "criterion_id"),
                     request.scores(i).criterion_id());
    errors.RequireRange(Path(field, "score"), request.scores(i).score(), 0,
                        kMaxCriterionScore);
  }
  errors.RequireEnum("recommendation", request.recommendation(),
                     v1::ReviewRecommendation_descriptor());
  errors.OptionalText("comment", request.comment(), kMaxLongText);
  return errors.ToStatus();
}

absl::Status Validate(const v1::RecordCpasOpinionRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireId("cpas_id", request.cpas_id());
  errors.RequireId("social_worker_id", request.social_worker_id());
  errors.RequireDate("given_on", request.has_given_on(), request.given_on());
  errors.RequireEnum("opinion", request.opinion(),
                     v1::CpasOpinion_descriptor());
  // Reservations and refusals must be explained to the committee.
  TextRequiredWhen(
      errors, "comment", request.comment(),
      request.opinion() == v1::CPAS_OPINION_UNFAVOURABLE ||
          request.opinion() == v1::CPAS_OPINION_FAVOURABLE_WITH_RESERVATIONS);
  return errors.ToStatus();
}

absl::Status Validate(const v1::SelectCandidateRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireDate("decided_on", request.has_decided_on(),
                     request.decided_on());
  return errors.ToStatus();
}

absl::Status Validate(const v1::WaitlistCandidateRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireDate("decided_on", request.has_decided_on(),
                     request.decided_on());
  errors.RequireRange("rank", request.rank(), 0, kMaxWaitlistRank);
  return errors.ToStatus();
}

absl::Status Validate(const v1::RejectCandidateRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireDate("decided_on", request.has_decided_on(),
                     request.decided_on());
  errors.RequireEnum("reason", request.reason(),
                     v1::RejectionReason_descriptor());
  TextRequiredWhen(errors, "explanation", request.explanation(),
                   request.reason() == v1::REJECTION_REASON_OTHER);
  return errors.ToStatus();
}

absl::Status Validate(const v1::WithdrawApplicationRequest& request) {
  FieldErrors errors;
  errors.RequireCommandHeader(request);
  errors.RequireId("application_id", request.application_id());
  errors.RequireDate("withdrawn_on", request.has_withdrawn_on(),
                     request.withdrawn_on());
  errors.RequireEnum("reason", request.reason(),
                     v1::WithdrawalReason_descriptor());
  TextRequiredWhen(errors, "note", request.note(),
                   request.reason() == v1::WITHDRAWAL_REASON_OTHER);
  return errors.ToStatus();
}

}  // namespace coopcraft::api
