// StreamRefusal: a server-streaming reactor that only reports an error, for
// requests refused before any message is written.
#ifndef COOPCRAFT_SERVICES_API_STREAM_REFUSAL_H_
#define COOPCRAFT_SERVICES_API_STREAM_REFUSAL_H_

#include <grpcpp/support/server_callback.h>

namespace coopcraft::api {

// Allocate with new and return to gRPC; it deletes itself when done.
template <typename Response>
class StreamRefusal final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit StreamRefusal(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_STREAM_REFUSAL_H_
