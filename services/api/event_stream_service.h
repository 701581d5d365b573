// EventStreamService: ReadStream, ReadAll and Subscribe over the event log.
#ifndef COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_
#define COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_

#include "coopcraft/v1/event_stream_service.grpc.pb.h"
#include "services/api/personal_data_view.h"
#include "services/api/subscription.h"
#include "services/api/worker_pool.h"
#include "services/auth/guard.h"
#include "storage/event_log.h"

namespace coopcraft::api {

// Thread-safe. `log` must outlive the service; destroy the service only
// after the gRPC server has shut down. Reads run on the service's own
// threads, never on gRPC's callback threads.
// Subscribe is registered raw (ByteBuffer in and out) so that subscription
// batches can be written from bytes encoded once for every subscriber; its
// messages are SubscribeResponses all the same.
class EventStreamService final
    : public coopcraft::v1::EventStreamService::WithRawCallbackMethod_Subscribe<
          coopcraft::v1::EventStreamService::CallbackService> {
 public:
  // `personal`'s parts must outlive the service too.
  EventStreamService(const auth::Guard* guard, storage::EventLog* log,
                     const PersonalDataParts& personal,
                     const SubscriptionOptions& subscriptions);

  grpc::ServerUnaryReactor* ReadStream(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ReadStreamRequest* request,
      coopcraft::v1::ReadStreamResponse* response) override;
  grpc::ServerUnaryReactor* ReadAll(
      grpc::CallbackServerContext* context,
      const coopcraft::v1::ReadAllRequest* request,
      coopcraft::v1::ReadAllResponse* response) override;
  // `request` holds a SubscribeRequest.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

  // Subscriptions currently served (for tests and metrics).
  size_t active_subscriptions() const { return hub_.active(); }

 private:
  // `records` as `caller` may see them, appended to `events`; the people
  // whose data they show in clear are written to the access trail first
  // (an error then: the events must not be served).
  absl::Status Serve(
      const std::vector<coopcraft::v1::EventRecord>& records,
      const auth::Principal& caller, absl::string_view method,
      google::protobuf::RepeatedPtrField<coopcraft::v1::RecordedEvent>* events)
      const;

  const auth::Guard* const guard_;
  storage::EventLog* const log_;
  privacy::AccessTrail* const trail_;
  // Unary reads are bounded (a page, a scan limit) but still touch disk.
  WorkerPool read_pool_{2};
  const PersonalDataView personal_data_;
  SubscriptionHub hub_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_EVENT_STREAM_SERVICE_H_
