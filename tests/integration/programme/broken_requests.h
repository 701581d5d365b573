// Requests of any command RPC, type-erased so one table can hold them all,
// and the ways the bad-input tables break them: a field addressed by its
// path ("dossier.consent.given_on", "agenda_items[0].kind") is cleared, set
// to an unknown enum number, to a text or to a date.
#ifndef COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_BROKEN_REQUESTS_H_
#define COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_BROKEN_REQUESTS_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "tests/support/programme_requests.h"

namespace coopcraft::testing {

// One request of one command RPC.
struct Command {
  // The RPC's name, e.g. "LogAction".
  std::string rpc;
  std::shared_ptr<const google::protobuf::Message> request;
  grpc::Status (*send)(const ProgrammeClient&,
                       const google::protobuf::Message&) = nullptr;

  grpc::Status Send(const ProgrammeClient& client) const {
    return send(client, *request);
  }
};

// "LogActionRequest" -> "LogAction".
std::string RpcOf(const google::protobuf::Descriptor& request);

template <typename Request>
Command Of(const Request& request) {
  return Command{.rpc = RpcOf(*Request::descriptor()),
                 .request = std::make_shared<Request>(request),
                 .send = +[](const ProgrammeClient& client,
                             const google::protobuf::Message& message) {
                   return client.Send(static_cast<const Request&>(message));
                 }};
}

// One valid request of every command RPC of the four services, on the
// given call, application and project ids.
std::vector<Command> EveryCommand(const std::string& call_id,
                                  const std::string& application_id,
                                  const std::string& project_id);

// Changes the field at a path of a request.
using Breakage =
    std::function<void(google::protobuf::Message&, const std::string& path)>;

// Clears the field (a repeated element's text becomes empty).
Breakage Cleared();
// Sets an enum field to a number no enum value has.
Breakage UnknownEnumValue();
// Sets a text field.
Breakage Text(std::string value);
// Sets a Date field to year/month/day (which need not be a real date).
Breakage DateOf(int year, int month, int day);
// Makes a message field present and empty.
Breakage EmptyMessage();
// Sets a bool field (a oneof member becomes the set case).
Breakage Flag(bool value);

// A copy of `command` with the field at `path` broken.
Command Broken(const Command& command, const std::string& path,
               const Breakage& breakage);

// Top-level singular string fields named "*_id" of `request`, request_id
// included.
std::vector<std::string> IdFields(const google::protobuf::Descriptor& request);
// True when `request` has, at any depth, a field of an enum type / of type
// coopcraft.v1.Date.
bool HasEnumField(const google::protobuf::Descriptor& request);
bool HasDateField(const google::protobuf::Descriptor& request);

}  // namespace coopcraft::testing

#endif  // COOPCRAFT_TESTS_INTEGRATION_PROGRAMME_BROKEN_REQUESTS_H_
