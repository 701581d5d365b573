// QueryService: gRPC adapter of the projections' read side. Queries with a
// min_position wait (on a worker, never on a gRPC thread) until the
// projections have applied it, within the call's deadline.
#ifndef COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_
#define COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_

#include "coopcraft/v1/query_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_engine.h"

namespace coopcraft::api {

// The projections QueryService reads; not owned, they outlive the service.
struct QueryViews {
  const projections::ProjectViewProjection* projects = nullptr;
};

// Thread-safe. `engine`, the views and `pool` are not owned and must
// outlive the service; `pool` runs the queries that have to wait.
class QueryService final : public coopcraft::v1::QueryService::CallbackService {
 public:
  QueryService(const projections::ProjectionEngine* engine,
               const QueryViews& views, WorkerPool* pool)
      : engine_(engine), views_(views), pool_(pool) {}

  // NOT_FOUND for an unknown project; INVALID_ARGUMENT for an empty id;
  // DEADLINE_EXCEEDED when min_position is not reached in time.
  grpc::ServerUnaryReactor* GetProject(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetProjectRequest* request,
      coopcraft::v1::GetProjectResponse* response) override;

  // INVALID_ARGUMENT for a negative page_size or a malformed page_token;
  // DEADLINE_EXCEEDED as GetProject.
  grpc::ServerUnaryReactor* ListProjects(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::ListProjectsRequest* request,
      coopcraft::v1::ListProjectsResponse* response) override;

 private:
  const projections::ProjectionEngine* const engine_;
  const QueryViews views_;
  WorkerPool* const pool_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_
