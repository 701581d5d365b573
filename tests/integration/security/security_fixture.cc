// SecurityFixture.
#include "tests/integration/security/security_fixture.h"

#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {

std::unique_ptr<grpc::ClientContext> Deadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return context;
}

void SecurityFixture::SetUp() {
  data_dir_ = dir_.path() + "/data";
  auto process = ServerProcess::Start(
      {.data_dir = data_dir_, .extra_flags = ServerFlags()});
  ASSERT_TRUE(process.ok()) << process.status();
  process_ = *std::move(process);
  admin_ = v1::AdminService::NewStub(process_->Channel());
}

void SecurityFixture::Restart(int signal,
                              const std::function<void()>& while_stopped) {
  process_->Stop(signal);
  while_stopped();
  auto process = ServerProcess::Start(
      {.data_dir = data_dir_, .extra_flags = ServerFlags()});
  ASSERT_TRUE(process.ok()) << process.status();
  process_ = *std::move(process);
  admin_ = v1::AdminService::NewStub(process_->Channel());
}

absl::StatusOr<v1::CreateTokenResponse> SecurityFixture::CreateToken(
    const std::string& principal, v1::Role role, const std::string& scope) {
  v1::CreateTokenRequest request;
  request.set_principal(principal);
  request.set_role(role);
  request.set_scope(scope);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::CreateTokenResponse response;
  grpc::Status status = admin_->CreateToken(&context, request, &response);
  if (!status.ok()) return ProgrammeClient::ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::RevokeTokenResponse> SecurityFixture::RevokeToken(
    const std::string& token_id) {
  v1::RevokeTokenRequest request;
  request.set_token_id(token_id);
  v1::RevokeTokenResponse response;
  grpc::Status status =
      admin_->RevokeToken(Deadline().get(), request, &response);
  if (!status.ok()) return ProgrammeClient::ToAbslStatus(status);
  return response;
}

std::string SecurityFixture::TokenFor(v1::Role role) {
  auto known = tokens_.find(role);
  if (known != tokens_.end()) return known->second;
  std::string scope;
  if (role == v1::ROLE_CPAS) scope = kCpasId;
  if (role == v1::ROLE_MENTOR) scope = kMentorId;
  if (role == v1::ROLE_PARTNER) scope = kPartnerOrganisationId;
  auto created =
      CreateToken(absl::StrCat("test-", v1::Role_Name(role)), role, scope);
  EXPECT_TRUE(created.ok()) << created.status();
  if (!created.ok()) return "";
  return tokens_[role] = created->secret();
}

grpc::Status SecurityFixture::CallWithEmptyRequest(const std::string& token,
                                                   const std::string& method) {
  grpc::GenericStub stub(process_->ChannelWithToken(token));
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto call = stub.PrepareCall(&context, absl::StrCat("/", method), &queue);
  void* tag = nullptr;
  bool ok = false;
  // One operation at a time, each waited for: the simplest correct use of
  // the generic API, and speed does not matter here.
  auto step = [&](int id) {
    EXPECT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(tag, reinterpret_cast<void*>(static_cast<intptr_t>(id)));
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  grpc::ByteBuffer empty_request;
  grpc::Slice nothing("");
  empty_request = grpc::ByteBuffer(&nothing, 1);
  call->WriteLast(empty_request, grpc::WriteOptions(),
                  reinterpret_cast<void*>(2));
  step(2);
  grpc::ByteBuffer response;
  while (true) {
    call->Read(&response, reinterpret_cast<void*>(3));
    if (!step(3)) break;
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  step(4);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

}  // namespace coopcraft::testing
