// ProjectService and HandOffService: gRPC adapters of the Project aggregate.
// They validate, run the command through the repository and map the status;
// every rule lives in services/domain/project.
#ifndef COOPCRAFT_SERVICES_API_PROJECT_SERVICE_H_
#define COOPCRAFT_SERVICES_API_PROJECT_SERVICE_H_

#include "coopcraft/v1/handoff_service.grpc.pb.h"
#include "coopcraft/v1/project_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/app/repositories.h"
#include "services/auth/guard.h"
#include "services/projections/handoff_view_projection.h"
#include "services/projections/projection_engine.h"

namespace coopcraft::api {

// Thread-safe; `repositories` and `pool` must outlive the service.
class ProjectService final
    : public coopcraft::v1::ProjectService::CallbackService {
 public:
  ProjectService(const auth::Guard* guard, app::Repositories* repositories,
                 WorkerPool* pool)
      : guard_(guard), repositories_(repositories), pool_(pool) {}

#define COOPCRAFT_PROJECT_COMMAND(Name)                                       \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* call,           \
                                 const coopcraft::v1::Name##Request* request, \
                                 coopcraft::v1::Name##Response* response)     \
      override;
  COOPCRAFT_PROJECT_COMMAND(OpenProject)
  COOPCRAFT_PROJECT_COMMAND(RecordWorkedDays)
  COOPCRAFT_PROJECT_COMMAND(DraftDeliverable)
  COOPCRAFT_PROJECT_COMMAND(SubmitDeliverable)
  COOPCRAFT_PROJECT_COMMAND(RequestDeliverableChanges)
  COOPCRAFT_PROJECT_COMMAND(ValidateDeliverable)
  COOPCRAFT_PROJECT_COMMAND(AssignMentor)
  COOPCRAFT_PROJECT_COMMAND(ScheduleMentorMeeting)
  COOPCRAFT_PROJECT_COMMAND(RecordMentorMeeting)
  COOPCRAFT_PROJECT_COMMAND(RecordInterview)
  COOPCRAFT_PROJECT_COMMAND(LogAction)
  COOPCRAFT_PROJECT_COMMAND(PlanMilestone)
  COOPCRAFT_PROJECT_COMMAND(MoveMilestone)
  COOPCRAFT_PROJECT_COMMAND(CompleteMilestone)
  COOPCRAFT_PROJECT_COMMAND(RequestResource)
  COOPCRAFT_PROJECT_COMMAND(DecideResourceRequest)
  COOPCRAFT_PROJECT_COMMAND(SubmitFundingApplication)
  COOPCRAFT_PROJECT_COMMAND(RecordFundingDecision)
  COOPCRAFT_PROJECT_COMMAND(ContactPartner)
  COOPCRAFT_PROJECT_COMMAND(AgreePartnership)
  COOPCRAFT_PROJECT_COMMAND(PublishCommunication)
  COOPCRAFT_PROJECT_COMMAND(RecordEvaluation)
  COOPCRAFT_PROJECT_COMMAND(ProposeHandOff)
  COOPCRAFT_PROJECT_COMMAND(EndContract)
  COOPCRAFT_PROJECT_COMMAND(CloseProject)

 private:
  const auth::Guard* const guard_;
  app::Repositories* const repositories_;
  WorkerPool* const pool_;
};

// The partner-facing half: a partner organisation answers a hand-off and
// reads the hand-offs addressed to it.
//
// `engine`, `handoffs` and `query_pool` are the read side: the hand-off
// projection, the engine that keeps it up to date (for min_position) and
// the pool on which queries wait; not owned, they must outlive the service.
class HandOffService final
    : public coopcraft::v1::HandOffService::CallbackService {
 public:
  HandOffService(const auth::Guard* guard, app::Repositories* repositories,
                 WorkerPool* pool, const projections::ProjectionEngine* engine,
                 const projections::HandOffViewProjection* handoffs,
                 WorkerPool* query_pool)
      : guard_(guard),
        repositories_(repositories),
        pool_(pool),
        engine_(engine),
        handoffs_(handoffs),
        query_pool_(query_pool) {}

  COOPCRAFT_PROJECT_COMMAND(AcceptHandOff)
  COOPCRAFT_PROJECT_COMMAND(DeclineHandOff)
#undef COOPCRAFT_PROJECT_COMMAND

  // In handoff_queries.cc. INVALID_ARGUMENT naming partner_organisation_id
  // when empty, status when not a hand-off status, page_size or page_token
  // when malformed; DEADLINE_EXCEEDED when min_position is not reached in
  // time.
  grpc::ServerUnaryReactor* ListHandOffs(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::ListHandOffsRequest* request,
      coopcraft::v1::ListHandOffsResponse* response) override;

  // INVALID_ARGUMENT naming project_id when empty; NOT_FOUND
  // (HANDOFF_NOT_FOUND) for an unknown hand-off.
  grpc::ServerUnaryReactor* GetHandOff(
      grpc::CallbackServerContext* call,
      const coopcraft::v1::GetHandOffRequest* request,
      coopcraft::v1::GetHandOffResponse* response) override;

 private:
  const auth::Guard* const guard_;
  app::Repositories* const repositories_;
  WorkerPool* const pool_;
  const projections::ProjectionEngine* const engine_;
  const projections::HandOffViewProjection* const handoffs_;
  WorkerPool* const query_pool_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_PROJECT_SERVICE_H_
