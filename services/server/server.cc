// CoopcraftServer: opens the log, registers the services, serves gRPC.
#include "services/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/functional/any_invocable.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/api/admin_service.h"
#include "services/api/audit_service.h"
#include "services/api/erasure_records.h"
#include "services/api/event_stream_service.h"
#include "services/api/project_service.h"
#include "services/api/query_service.h"
#include "services/api/selection_service.h"
#include "services/api/server_info_service.h"
#include "services/api/worker_pool.h"
#include "services/app/repositories.h"
#include "services/auth/guard.h"
#include "services/auth/token_store.h"
#include "services/base/status_macros.h"
#include "services/privacy/access_trail.h"
#include "services/privacy/event_sealer.h"
#include "services/privacy/person_key_store.h"
#include "services/privacy/pseudonymizer.h"
#include "services/projections/cohort_view_projection.h"
#include "services/projections/communication_tracker_projection.h"
#include "services/projections/funder_report_projection.h"
#include "services/projections/funding_tracker_projection.h"
#include "services/projections/gantt_projection.h"
#include "services/projections/handoff_view_projection.h"
#include "services/projections/partner_tracker_projection.h"
#include "services/projections/project_view_projection.h"
#include "services/projections/projection_catalog.h"
#include "services/projections/projection_engine.h"
#include "services/projections/rocksdb_projection_store.h"
#include "services/server/bootstrap_token.h"
#include "storage/rocksdb_event_log.h"

namespace coopcraft::server {
namespace {

// Creates the data directory when missing and checks that this process may
// write there, so the operator gets a direct message instead of a RocksDB one.
absl::StatusOr<std::string> PrepareDataDir(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", data_dir, " cannot be created: ", ec.message()));
  }
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", data_dir, " is not a directory"));
  }
  if (access(data_dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", data_dir, " is not readable and writable by this user"));
  }
  return std::filesystem::absolute(data_dir, ec).lexically_normal().string();
}

// "host:0" + 43817 -> "host:43817"; IPv6 hosts keep their brackets.
std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return absl::StrCat(address, ":", port);
  return absl::StrCat(address.substr(0, colon), ":", port);
}

}  // namespace

// Declared in dependency order; Shutdown() tears down in reverse.
struct CoopcraftServer::Parts {
  std::unique_ptr<storage::RocksDbEventLog> log;
  std::unique_ptr<auth::TokenStore> tokens;
  std::unique_ptr<auth::Guard> guard;
  std::unique_ptr<privacy::PersonKeyStore> keys;
  std::unique_ptr<privacy::EventSealer> sealer;
  std::unique_ptr<privacy::AccessTrail> trail;
  std::unique_ptr<privacy::Pseudonymizer> pseudonymizer;
  std::unique_ptr<projections::RocksDbProjectionStore> projection_store;
  std::unique_ptr<projections::ProjectViewProjection> project_view;
  std::unique_ptr<projections::CohortViewProjection> cohort_view;
  std::unique_ptr<projections::GanttProjection> gantt;
  std::unique_ptr<projections::FunderReportProjection> funder_report;
  std::unique_ptr<projections::FundingTrackerProjection> funding_tracker;
  std::unique_ptr<projections::PartnerTrackerProjection> partner_tracker;
  std::unique_ptr<projections::CommunicationTrackerProjection>
      communication_tracker;
  std::unique_ptr<projections::HandOffViewProjection> handoff_view;
  std::unique_ptr<projections::ProjectionEngine> projection_engine;
  std::unique_ptr<api::WorkerPool> query_pool;
  std::unique_ptr<api::QueryService> query;
  std::unique_ptr<app::Repositories> repositories;
  std::unique_ptr<api::WorkerPool> command_pool;
  std::unique_ptr<api::ServerInfoService> server_info;
  std::unique_ptr<api::SelectionService> selection;
  std::unique_ptr<api::CohortService> cohort;
  std::unique_ptr<api::ProjectService> project;
  std::unique_ptr<api::HandOffService> hand_off;
  std::unique_ptr<api::EventStreamService> event_stream;
  std::unique_ptr<api::AuditService> audit;
  std::unique_ptr<api::AdminService> admin;
  std::unique_ptr<grpc::Server> grpc_server;
  bool shut_down = false;
};

CoopcraftServer::CoopcraftServer(std::unique_ptr<Parts> parts)
    : parts_(std::move(parts)) {}

CoopcraftServer::~CoopcraftServer() { Shutdown(absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<CoopcraftServer>> CoopcraftServer::Start(
    const ServerOptions& options) {
  const absl::Time start_time = absl::Now();
  ASSIGN_OR_RETURN(std::string data_dir, PrepareDataDir(options.data_dir));
  // Before anything is opened: a refused address leaves no trace.
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ListenCredentials(options.tls, options.listen_address));

  auto parts = std::make_unique<Parts>();
  storage::RocksDbEventLogOptions log_options;
  log_options.path = data_dir + "/log";
  log_options.extra_column_families = {projections::kProjectionColumnFamily,
                                       auth::kTokenColumnFamily,
                                       privacy::kAccessTrailColumnFamily};
  ASSIGN_OR_RETURN(parts->log, storage::RocksDbEventLog::Open(log_options));
  ASSIGN_OR_RETURN(parts->tokens,
                   auth::TokenStore::Open(
                       parts->log->db(),
                       parts->log->column_family(auth::kTokenColumnFamily)));
  ASSIGN_OR_RETURN(std::string admin_token_file,
                   BootstrapAdminToken(*parts->tokens, data_dir));
  parts->guard = std::make_unique<auth::Guard>(parts->tokens.get());
  const auth::Guard* guard = parts->guard.get();
  // Apart from the log, so that destroying a key never touches the log.
  ASSIGN_OR_RETURN(parts->keys,
                   privacy::PersonKeyStore::Open(data_dir + "/keys"));
  // An erasure whose event a crash kept out of the log is recorded before
  // anyone can read the log (see api/erasure_records.h).
  RETURN_IF_ERROR(
      api::RecordPendingErasures(parts->keys.get(), parts->log.get()));
  parts->sealer = std::make_unique<privacy::EventSealer>(parts->keys.get());
  ASSIGN_OR_RETURN(parts->pseudonymizer,
                   privacy::Pseudonymizer::Create(*parts->keys));
  ASSIGN_OR_RETURN(
      parts->trail,
      privacy::AccessTrail::Open(
          parts->log->db(),
          parts->log->column_family(privacy::kAccessTrailColumnFamily)));
  ASSIGN_OR_RETURN(
      parts->projection_store,
      projections::RocksDbProjectionStore::Create(
          parts->log->db(),
          parts->log->column_family(projections::kProjectionColumnFamily)));
  parts->project_view = std::make_unique<projections::ProjectViewProjection>();
  parts->cohort_view = std::make_unique<projections::CohortViewProjection>();
  parts->gantt = std::make_unique<projections::GanttProjection>();
  parts->funder_report =
      std::make_unique<projections::FunderReportProjection>();
  parts->funding_tracker =
      std::make_unique<projections::FundingTrackerProjection>();
  parts->partner_tracker =
      std::make_unique<projections::PartnerTrackerProjection>();
  parts->communication_tracker =
      std::make_unique<projections::CommunicationTrackerProjection>();
  parts->handoff_view = std::make_unique<projections::HandOffViewProjection>();
  // The same set as ProjectionCatalog::Default(), which audit replays use.
  ASSIGN_OR_RETURN(
      parts->projection_engine,
      projections::ProjectionEngine::Start(
          parts->log.get(), parts->projection_store.get(),
          {parts->project_view.get(), parts->cohort_view.get(),
           parts->gantt.get(), parts->funder_report.get(),
           parts->funding_tracker.get(), parts->partner_tracker.get(),
           parts->communication_tracker.get(), parts->handoff_view.get()}));
  // Queries that wait for min_position block one of these threads.
  parts->query_pool = std::make_unique<api::WorkerPool>(8);
  parts->query = std::make_unique<api::QueryService>(
      guard, parts->projection_engine.get(),
      api::QueryViews{.projects = parts->project_view.get(),
                      .cohorts = parts->cohort_view.get(),
                      .gantts = parts->gantt.get(),
                      .funder_report = parts->funder_report.get(),
                      .funding = parts->funding_tracker.get(),
                      .partners = parts->partner_tracker.get(),
                      .communication = parts->communication_tracker.get()},
      parts->query_pool.get());

  parts->server_info = std::make_unique<api::ServerInfoService>(
      guard,
      api::ServerIdentity{.version = COOPCRAFT_VERSION,
                          .build = COOPCRAFT_BUILD,
                          .data_dir = data_dir,
                          .start_time = start_time},
      parts->log.get());
  parts->command_pool =
      std::make_unique<api::WorkerPool>(options.command_threads);
  api::WorkerPool* pool = parts->command_pool.get();
  // A command parked behind another on its stream is decided on a command
  // worker too: it may read the log, which the log's committer (that
  // completes the command before it) must not wait for. It goes ahead of
  // the queue: it has waited its turn, and its stream is held until it is
  // decided (behind the queue, a busy project ran at half its rate).
  parts->repositories = std::make_unique<app::Repositories>(
      parts->log.get(), parts->sealer.get(),
      [pool](absl::AnyInvocable<void()> task) {
        pool->ScheduleFirst(std::move(task));
      });
  app::Repositories* repositories = parts->repositories.get();
  parts->selection =
      std::make_unique<api::SelectionService>(guard, repositories, pool);
  parts->cohort =
      std::make_unique<api::CohortService>(guard, repositories, pool);
  parts->project =
      std::make_unique<api::ProjectService>(guard, repositories, pool);
  parts->hand_off = std::make_unique<api::HandOffService>(
      guard, repositories, pool, parts->projection_engine.get(),
      parts->handoff_view.get(), parts->query_pool.get());
  parts->event_stream = std::make_unique<api::EventStreamService>(
      guard, parts->log.get(),
      api::PersonalDataParts{.sealer = parts->sealer.get(),
                             .pseudonymizer = parts->pseudonymizer.get(),
                             .trail = parts->trail.get()},
      api::SubscriptionOptions{.max_subscribers = options.max_subscribers});
  parts->audit = std::make_unique<api::AuditService>(
      guard, parts->log.get(), &projections::ProjectionCatalog::Default(),
      parts->trail.get(), parts->pseudonymizer.get());
  parts->admin = std::make_unique<api::AdminService>(
      api::AdminParts{.guard = guard,
                      .tokens = parts->tokens.get(),
                      .keys = parts->keys.get(),
                      .log = parts->log.get(),
                      .repositories = parts->repositories.get()});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC enables SO_REUSEPORT by default, which would let a second server
  // silently share the port; a taken port must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  int bound_port = 0;
  builder.AddListeningPort(options.listen_address, credentials, &bound_port);
  builder.RegisterService(parts->server_info.get());
  builder.RegisterService(parts->selection.get());
  builder.RegisterService(parts->cohort.get());
  builder.RegisterService(parts->project.get());
  builder.RegisterService(parts->hand_off.get());
  builder.RegisterService(parts->query.get());
  builder.RegisterService(parts->event_stream.get());
  builder.RegisterService(parts->audit.get());
  builder.RegisterService(parts->admin.get());
  parts->grpc_server = builder.BuildAndStart();
  if (parts->grpc_server == nullptr || bound_port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address,
        ": the port is taken or the address is not valid here",
        options.tls.cert_file.empty()
            ? ""
            : ", or --tls_cert and --tls_key are not a certificate chain "
              "and its matching key"));
  }
  parts->grpc_server->GetHealthCheckService()->SetServingStatus(true);

  auto server =
      std::unique_ptr<CoopcraftServer>(new CoopcraftServer(std::move(parts)));
  server->bound_address_ = WithPort(options.listen_address, bound_port);
  server->admin_token_file_ = std::move(admin_token_file);
  return server;
}

void CoopcraftServer::Shutdown(absl::Duration grace) {
  if (parts_ == nullptr || parts_->shut_down) return;
  parts_->shut_down = true;
  // First, so that queries waiting for a min_position finish (UNAVAILABLE)
  // instead of holding the gRPC shutdown until their deadline.
  parts_->projection_engine->Stop();
  if (parts_->grpc_server != nullptr) {
    // Health first, so load balancers stop sending before we stop accepting.
    parts_->grpc_server->GetHealthCheckService()->SetServingStatus(false);
    parts_->grpc_server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    parts_->grpc_server->Wait();
  }
  parts_->grpc_server.reset();
  // Runs the commands still queued (their calls were cancelled) and joins.
  parts_->command_pool.reset();
  // After the gRPC server: every subscription and export has finished.
  parts_->admin.reset();
  parts_->audit.reset();
  parts_->event_stream.reset();
  parts_->hand_off.reset();
  parts_->project.reset();
  parts_->cohort.reset();
  parts_->selection.reset();
  parts_->server_info.reset();
  parts_->repositories.reset();
  parts_->query_pool.reset();
  parts_->query.reset();
  parts_->projection_engine.reset();
  parts_->project_view.reset();
  parts_->funding_tracker.reset();
  parts_->partner_tracker.reset();
  parts_->communication_tracker.reset();
  parts_->handoff_view.reset();
  parts_->projection_store.reset();
  parts_->trail.reset();
  parts_->pseudonymizer.reset();
  parts_->sealer.reset();
  parts_->keys.reset();
  parts_->guard.reset();
  parts_->tokens.reset();
  parts_->log.reset();  // flushes and closes RocksDB
}

}  // namespace coopcraft::server
