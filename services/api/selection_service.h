// SelectionService and CohortService: gRPC adapters of the Call, Application
// and Cohort aggregates. They validate, run the command through the
// repositories and map the status; every rule lives in services/domain.
#ifndef COOPCRAFT_SERVICES_API_SELECTION_SERVICE_H_
#define COOPCRAFT_SERVICES_API_SELECTION_SERVICE_H_

#include "coopcraft/v1/cohort_service.grpc.pb.h"
#include "coopcraft/v1/selection_service.grpc.pb.h"
#include "services/api/worker_pool.h"
#include "services/app/repositories.h"
#include "services/auth/guard.h"

namespace coopcraft::api {

#define COOPCRAFT_SELECTION_COMMAND(Name)                                     \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* call,           \
                                 const coopcraft::v1::Name##Request* request, \
                                 coopcraft::v1::Name##Response* response)     \
      override;

// Thread-safe; `repositories` and `pool` must outlive the service.
class SelectionService final
    : public coopcraft::v1::SelectionService::CallbackService {
 public:
  SelectionService(const auth::Guard* guard, app::Repositories* repositories,
                   WorkerPool* pool)
      : guard_(guard), repositories_(repositories), pool_(pool) {}

  COOPCRAFT_SELECTION_COMMAND(OpenCall)
  COOPCRAFT_SELECTION_COMMAND(CloseCall)
  COOPCRAFT_SELECTION_COMMAND(SubmitApplication)
  COOPCRAFT_SELECTION_COMMAND(ReviewApplication)
  COOPCRAFT_SELECTION_COMMAND(RecordCpasOpinion)
  COOPCRAFT_SELECTION_COMMAND(SelectCandidate)
  COOPCRAFT_SELECTION_COMMAND(WaitlistCandidate)
  COOPCRAFT_SELECTION_COMMAND(RejectCandidate)
  COOPCRAFT_SELECTION_COMMAND(WithdrawApplication)

 private:
  const auth::Guard* const guard_;
  app::Repositories* const repositories_;
  WorkerPool* const pool_;
};

// Weekly group meetings of the cohort formed by a call.
class CohortService final
    : public coopcraft::v1::CohortService::CallbackService {
 public:
  CohortService(const auth::Guard* guard, app::Repositories* repositories,
                WorkerPool* pool)
      : guard_(guard), repositories_(repositories), pool_(pool) {}

  COOPCRAFT_SELECTION_COMMAND(RecordGroupMeeting)
#undef COOPCRAFT_SELECTION_COMMAND

 private:
  const auth::Guard* const guard_;
  app::Repositories* const repositories_;
  WorkerPool* const pool_;
};

}  // namespace coopcraft::api

#endif  // COOPCRAFT_SERVICES_API_SELECTION_SERVICE_H_
