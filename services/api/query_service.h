// QueryService: gRPC adapter of the projections' read side. Queries with a
// min_position wait (on a worker, never on a gRPC thread) until the
// projections have applied it, within the call's deadline.
#ifndef COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_
#define COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_

#include "coopcraft/v1/query_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/auth/guard.h"
#include "services/projections/cohort_view_projection.h"
#include "services/projections/communication_tracker_projection.h"
#include "services/projections/funder_report_projection.h"
#include "services/projections/funding_tracker_projection.h"
#include "services/projections/gantt_projection.h"
#include "services/projections/partner_tracker_projection.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_engine.h"

namespace coopcraft::api {

// The projections QueryService reads; not owned, they outlive the service.
struct QueryViews {
  const projections::ProjectViewProjection* projects = nullptr;
  const projections::CohortViewProjection* cohorts = nullptr;
  const projections::GanttProjection* gantts = nullptr;
  const projections::FunderReportProjection* funder_report = nullptr;
  const projections::FundingTrackerProjection* funding = nullptr;
  const projections::PartnerTrackerProjection* partners = nullptr;
  const projections::CommunicationTrackerProjection* communication = nullptr;
};

// Thread-safe. `engine`, the views and `pool` are not owned and must
// outlive the service; `pool` runs the queries that have to wait.
class QueryService final : public coopcraft::v1::QueryService::CallbackService {
 public:
  QueryService(const auth::Guard* guard,
               const projections::ProjectionEngine* engine,
               const QueryViews& views, WorkerPool* pool)
      : guard_(guard), engine_(engine), views_(views), pool_(pool) {}

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

  // In query_service_reports.cc. INVALID_ARGUMENT for an empty call_id;
  // NOT_FOUND for a call no event names; DEADLINE_EXCEEDED as GetProject.
  grpc::ServerUnaryReactor* GetCohort(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetCohortRequest* request,
      coopcraft::v1::GetCohortResponse* response) override;

  // The chart as data and SVG (today in Brussels). INVALID_ARGUMENT for an
  // empty project_id; NOT_FOUND for an unknown project.
  grpc::ServerUnaryReactor* GetGantt(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetGanttRequest* request,
      coopcraft::v1::GetGanttResponse* response) override;

  // INVALID_ARGUMENT naming period_start or period_end when missing or
  // invalid, or when period_end is before period_start.
  grpc::ServerUnaryReactor* GetFunderReport(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetFunderReportRequest* request,
      coopcraft::v1::GetFunderReportResponse* response) override;

  // In query_service_trackers.cc. An empty project_id reads the whole
  // programme; NOT_FOUND for an unknown project; DEADLINE_EXCEEDED as
  // GetProject. Deadlines are computed against today in Brussels.
  grpc::ServerUnaryReactor* GetFundingTracker(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetFundingTrackerRequest* request,
      coopcraft::v1::GetFundingTrackerResponse* response) override;
  grpc::ServerUnaryReactor* GetPartnerTracker(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetPartnerTrackerRequest* request,
      coopcraft::v1::GetPartnerTrackerResponse* response) override;
  grpc::ServerUnaryReactor* GetCommunicationTracker(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetCommunicationTrackerRequest* request,
      coopcraft::v1::GetCommunicationTrackerResponse* response) override;

 private:
  const auth::Guard* const guard_;
  const projections::ProjectionEngine* const engine_;
  const QueryViews views_;
  WorkerPool* const pool_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_QUERY_SERVICE_H_
