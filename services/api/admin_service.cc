// AdminService: token administration over the TokenStore.
#include "services/api/admin_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/erasure_records.h"
#include "services/api/method_names.h"
#include "services/api/query_call.h"
#include "services/api/status_mapping.h"
#include "services/api/validation/field_errors.h"
#include "services/app/aggregate_repository.h"
#include "services/app/request_ids.h"
#include "services/base/status_macros.h"
#include "storage/event_log.h"

namespace coopcraft::api {
namespace {

namespace v1 = ::coopcraft::v1;

constexpr size_t kMaxPrincipal = 128;

// Principals appear in every event's metadata: short, printable, and with
// no room for free text.
bool IsPrincipalName(const std::string& name) {
  if (name.empty() || name.size() > kMaxPrincipal) return false;
  for (char c : name) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The result of an earlier run of this very erasure, if there was one. A
// request id already spent on anything else (a command, or the erasure of
// another person) is refused here, before any key is touched: the retry
// check of the append comes after the erasure, which cannot be undone.
absl::StatusOr<std::optional<v1::WriteResult>> PriorErasure(
    const storage::EventLog& log, const v1::ErasePersonRequest& request) {
  ASSIGN_OR_RETURN(
      std::optional<app::PriorRun> prior,
      app::FindPriorRun(log, kErasureStream, request.request_id()));
  if (!prior.has_value()) return std::nullopt;
  v1::PersonErased erased;
  if (prior->first.type() != v1::PersonErased::descriptor()->full_name() ||
      !erased.ParseFromString(prior->first.payload()) ||
      erased.person_id() != request.person_id()) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id ", request.request_id(),
                     " was already used to erase another person"));
  }
  return std::move(prior->result);
}

absl::Status ValidateCreate(const v1::CreateTokenRequest& request) {
  FieldErrors errors;
  if (!IsPrincipalName(request.principal())) {
    errors.Add("principal",
               "must be 1-128 characters of letters, digits and . _ : @ -");
  }
  errors.RequireEnum("role", request.role(), v1::Role_descriptor());
  if (auth::IsScopedRole(request.role())) {
    errors.RequireId("scope", request.scope());
  } else if (!request.scope().empty()) {
    errors.Add("scope", "only CPAS, MENTOR and PARTNER tokens have a scope");
  }
  return errors.ToStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::CreateToken(
    grpc::CallbackServerContext* call, const v1::CreateTokenRequest* request,
    v1::CreateTokenResponse* response) {
  auto* reactor = call->DefaultReactor();
  auto caller =
      parts_.guard->Admit(*call, COOPCRAFT_METHOD(AdminService, CreateToken));
  absl::Status refusal =
      caller.ok() ? ValidateCreate(*request) : caller.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  pool_.Schedule([this, reactor, request, response, by = caller->id] {
    absl::StatusOr<std::string> secret = auth::TokenStore::NewSecret();
    if (!secret.ok()) {
      reactor->Finish(ToGrpcStatus(secret.status()));
      return;
    }
    auto issued =
        parts_.tokens->Create(request->principal(), request->role(),
                              request->scope(), by, *std::move(secret));
    if (!issued.ok()) {
      reactor->Finish(ToGrpcStatus(issued.status()));
      return;
    }
    *response->mutable_token() = std::move(issued->token);
    response->set_secret(std::move(issued->secret));
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::ListTokens(
    grpc::CallbackServerContext* call, const v1::ListTokensRequest* request,
    v1::ListTokensResponse* response) {
  auto* reactor = call->DefaultReactor();
  auto caller =
      parts_.guard->Admit(*call, COOPCRAFT_METHOD(AdminService, ListTokens));
  FieldErrors errors;
  int page_size = 0;
  const std::string after = ReadPageRequest(
      request->page_size(), request->page_token(), &page_size, &errors);
  absl::Status refusal = caller.ok() ? errors.ToStatus() : caller.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  // One more than a page tells whether another page follows.
  std::vector<v1::AccessToken> tokens = parts_.tokens->List(
      request->include_revoked(), after, static_cast<size_t>(page_size) + 1);
  const bool more = tokens.size() > static_cast<size_t>(page_size);
  if (more) tokens.pop_back();
  for (v1::AccessToken& token : tokens) {
    *response->add_tokens() = std::move(token);
  }
  if (more) {
    response->set_next_page_token(
        EncodePageToken(response->tokens().rbegin()->token_id()));
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::RevokeToken(
    grpc::CallbackServerContext* call, const v1::RevokeTokenRequest* request,
    v1::RevokeTokenResponse* response) {
  auto* reactor = call->DefaultReactor();
  auto caller =
      parts_.guard->Admit(*call, COOPCRAFT_METHOD(AdminService, RevokeToken));
  FieldErrors errors;
  errors.RequireId("token_id", request->token_id());
  absl::Status refusal = caller.ok() ? errors.ToStatus() : caller.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  pool_.Schedule([this, reactor, request, response, by = caller->id] {
    auto revoked = parts_.tokens->Revoke(request->token_id(), by);
    if (!revoked.ok()) {
      reactor->Finish(ToGrpcStatus(revoked.status()));
      return;
    }
    *response->mutable_token() = *std::move(revoked);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::ErasePerson(
    grpc::CallbackServerContext* call, const v1::ErasePersonRequest* request,
    v1::ErasePersonResponse* response) {
  auto* reactor = call->DefaultReactor();
  auto caller =
      parts_.guard->Admit(*call, COOPCRAFT_METHOD(AdminService, ErasePerson));
  FieldErrors errors;
  errors.RequireRequestId(request->request_id());
  errors.RequireId("person_id", request->person_id());
  errors.RequireEnum("ground", request->ground(),
                     v1::ErasureGround_descriptor());
  absl::Status refusal = caller.ok() ? errors.ToStatus() : caller.status();
  if (!refusal.ok()) {
    reactor->Finish(ToGrpcStatus(refusal));
    return reactor;
  }
  pool_.Schedule([this, reactor, request, response, by = caller->id] {
    reactor->Finish(ToGrpcStatus(Erase(*request, by, response)));
  });
  return reactor;
}

absl::Status AdminService::Erase(const v1::ErasePersonRequest& request,
                                 const std::string& actor,
                                 v1::ErasePersonResponse* response) {
  absl::StatusOr<std::optional<v1::WriteResult>> prior =
      PriorErasure(*parts_.log, request);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) {
    *response->mutable_result() = **prior;
    return absl::OkStatus();
  }
  // The key first: once it is gone nothing can be read, whatever happens
  // next. The event goes into the erasure marker in the same write, so a
  // crash or a failed append before the log holds it is finished at the
  // next start (RecordPendingErasures), or by the client's retry, whichever
  // comes first: the event's id is derived from the request id, so it is
  // written once.
  storage::NewEvent event = ErasureEvent(request, actor);
  const std::string pending = EncodePendingErasure(event);
  if (absl::Status erased = parts_.keys->Erase(request.person_id(), pending);
      !erased.ok()) {
    return erased;
  }
  // Clear fields folded from events before the erasure out of memory too.
  parts_.repositories->applications.ForgetCachedStates();
  parts_.repositories->projects.ForgetCachedStates();

  const std::string stream = kErasureStream;
  std::vector<storage::NewEvent> batch;
  batch.push_back(std::move(event));
  absl::StatusOr<storage::AppendResult> appended = parts_.log->Append(
      stream, storage::ExpectedRevision::Any(), std::move(batch));
  if (!appended.ok()) return appended.status();
  // Failing to clear costs only a no-op append at the next start.
  parts_.keys->ClearPendingRecord(request.person_id(), pending).IgnoreError();
  *response->mutable_result() = app::WriteResultOf(stream, *appended);
  return absl::OkStatus();
}

}  // namespace coopcraft::api
