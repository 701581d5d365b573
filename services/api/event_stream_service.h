// EventStreamService: ReadStream, ReadAll and Subscribe over the event log.
#ifndef COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_
#define COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_

#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "services/api/subscription.h"
#include "services/api/worker_pool.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// Thread-safe. `log` must outlive the service; destroy the service only
// after the gRPC server has shut down. Reads run on the service's own
// threads, never on gRPC's callback threads.
class EventStreamService final
    : public coopcraft::v1::EventStreamService::CallbackService {
 public:
  EventStreamService(storage::EventLog* log,
                     const SubscriptionOptions& subscriptions);

  grpc::ServerUnaryReactor* ReadStream(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ReadStreamRequest* request,
      coopcraft::v1::ReadStreamResponse* response) override;
  grpc::ServerUnaryReactor* ReadAll(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ReadAllRequest* request,
      coopcraft::v1::ReadAllResponse* response) override;
  grpc::ServerWriteReactor<coopcraft::v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::SubscribeRequest* request) override;

  // Subscriptions currently served (for tests and metrics).
  size_t active_subscriptions() const { return hub_.active(); }

 private:
  storage::EventLog* const log_;
  // Unary reads are bounded (a page, a scan limit) but still touch disk.
  WorkerPool read_pool_{2};
  SubscriptionHub hub_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_
