package io.sluice.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.sw.SwWorkflows;
import io.sluice.proto.CancelInstanceRequest;
import io.sluice.proto.CancelInstanceResponse;
import io.sluice.proto.DeliverEventRequest;
import io.sluice.proto.DeliverEventResponse;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.DeploySubgraphResponse;
import io.sluice.proto.DispatchRequest;
import io.sluice.proto.DispatchResponse;
import io.sluice.proto.OfferEventRequest;
import io.sluice.proto.OfferEventResponse;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.proto.StartInstanceResponse;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.runtime.CallKey;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WorkerService (master -> worker) on top of a {@link WorkerEngine}: every request is checked field
 * by field (INVALID_ARGUMENT naming the field), then handed to the engine.
 */
final class WorkerCalls extends WorkerServiceGrpc.WorkerServiceImplBase {
  private final WorkerEngine engine;
  private final PeerLinks peers;
  private final Scheduler scheduler;

  private final PartMoves moves;

  /** The call logs GetLogs serves; null when the worker keeps none. */
  private final InvocationLogs logs;

  WorkerCalls(
      WorkerEngine engine,
      PeerLinks peers,
      Scheduler scheduler,
      PartMoves moves,
      InvocationLogs logs) {
    this.moves = moves;
    this.logs = logs;
    this.engine = engine;
    this.peers = peers;
    this.scheduler = scheduler;
  }

  @Override
  public void deploySubgraph(
      DeploySubgraphRequest req, StreamObserver<DeploySubgraphResponse> response) {
    try {
      WorkflowKey key = WireMapper.workflowKey(req.getWorkflow());
      String file = req.getSource().getFileName();
      String text = req.getSource().getDefinitionText();
      if (text.isBlank()) {
        throw new IllegalArgumentException(
            "source.definition_text is empty (workflow " + key + ")");
      }
      if (file.isBlank()) {
        throw new IllegalArgumentException(
            "source.file_name is missing (workflow " + key + "); it names errors and the format");
      }
      Map<String, String> placement = WireMapper.placement(req.getPlacement());
      if (placement.isEmpty()) {
        throw new IllegalArgumentException("placement.assignments is empty (workflow " + key + ")");
      }
      Binding binding =
          WireMapper.binding(
              req.hasOptions() ? req.getOptions() : WireMapper.runOptions(Binding.defaults()),
              req.getFunctionRegistryFileName(),
              req.getFunctionRegistryText());
      Map<String, String> addresses = WireMapper.peers(req.getPeersList());
      List<SwWorkflows.Source> subs = new ArrayList<>();
      req.getSubworkflowsList()
          .forEach(w -> subs.add(new SwWorkflows.Source(w.getFileName(), w.getDefinitionText())));
      WorkflowGraph graph =
          SwWorkflows.using(
              SwWorkflows.of("the sub-workflows the master sent with the deployment", subs),
              null,
              () -> new WorkflowLoader().load(file, text));
      Set<String> local = engine.deploy(key, graph, placement, binding, req.getTrusted());
      peers.addPeers(addresses);
      response.onNext(DeploySubgraphResponse.newBuilder().addAllLocalNodes(local).build());
      response.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(response, e);
    }
  }

  @Override
  public void startInstance(StartInstanceRequest req, StreamObserver<StartInstanceResponse> r) {
    try {
      String id = required(req.getInstanceId(), "instance_id");
      WorkflowKey key = deployed(WireMapper.workflowKey(req.getWorkflow()));
      JsonNode input =
          req.hasInput()
              ? WireMapper.json(req.getInput(), "input")
              : JsonNodeFactory.instance.objectNode();
      if (engine.status(id).isEmpty()) { // a repeated start (a retried call) changes nothing
        io.sluice.runtime.trace.Tracing.joined(id, req.getTraceparent());
        engine.start(id, key, input, req.getPlacementId());
      }
      r.onNext(StartInstanceResponse.getDefaultInstance());
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  @Override
  public void cancelInstance(CancelInstanceRequest req, StreamObserver<CancelInstanceResponse> r) {
    try {
      String id = required(req.getInstanceId(), "instance_id");
      if (engine.status(id).isEmpty()) {
        throw new NotFoundException(
            "instance " + id + " is not known on worker " + engine.workerId());
      }
      engine.cancel(id);
      moves.forget(id);
      io.sluice.runtime.trace.Tracing.forget(id);
      r.onNext(CancelInstanceResponse.getDefaultInstance());
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  /** The keys the master sent, or null (an older master sends none). */
  private static CallKey callKey(DispatchRequest req) {
    String k = req.getIdempotencyKey();
    String step = req.getStepKey();
    if (k.isEmpty() && step.isEmpty()) {
      return null;
    }
    if (k.isEmpty() || step.isEmpty()) {
      throw new IllegalArgumentException(
          "idempotency_key and step_key come together, got only "
              + (k.isEmpty() ? "step_key" : "idempotency_key"));
    }
    if (k.length() > CallKey.MAX_LENGTH || step.length() > CallKey.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "idempotency_key and step_key are at most " + CallKey.MAX_LENGTH + " characters");
    }
    return new CallKey(k, step);
  }

  @Override
  public void dispatch(DispatchRequest req, StreamObserver<DispatchResponse> r) {
    try {
      String id = required(req.getInstanceId(), "instance_id");
      String node = required(req.getNodeId(), "node_id");
      WorkflowKey key = deployed(WireMapper.workflowKey(req.getWorkflow()));
      JsonNode input = WireMapper.json(req.getInput(), "input");
      if (req.getAttempt() < 0) {
        throw new IllegalArgumentException("attempt must be >= 0, got " + req.getAttempt());
      }
      Duration timeout = WireMapper.duration(req.getTimeout());
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
      }
      long start = scheduler.nanoTime();
      long deadline = timeout.isZero() ? Long.MAX_VALUE : start + timeout.toNanos();
      engine
          .dispatch(key, id, node, input, Math.max(1, req.getAttempt()), deadline, callKey(req))
          .whenComplete(
              (out, failure) -> {
                DispatchResponse.Builder b =
                    DispatchResponse.newBuilder()
                        .setWorkerId(engine.workerId())
                        .setComputeTime(
                            WireMapper.duration(Duration.ofNanos(scheduler.nanoTime() - start)));
                if (failure == null) {
                  b.setResult(WireMapper.payload(out));
                } else {
                  b.setError(WireMapper.errorInfo(failure, node, engine.workerId()));
                }
                r.onNext(b.build());
                r.onCompleted();
              });
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  @Override
  public void deliverEvent(DeliverEventRequest req, StreamObserver<DeliverEventResponse> r) {
    try {
      if (!req.hasEvent()) {
        throw new IllegalArgumentException("event is missing");
      }
      CloudEvent event = WireMapper.cloudEvent(req.getEvent(), "event");
      if (!req.getInstanceId().isEmpty()) {
        event =
            CloudEventBuilder.from(event)
                .withExtension("sluiceinstance", req.getInstanceId())
                .build();
      } else if (event.getSubject() == null) {
        throw new IllegalArgumentException(
            "instance_id is missing and the event has no subject naming the instance");
      }
      boolean delivered = engine.deliver(event);
      r.onNext(DeliverEventResponse.newBuilder().setDelivered(delivered).build());
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  @Override
  public void offerEvent(OfferEventRequest req, StreamObserver<OfferEventResponse> r) {
    try {
      if (!req.hasEvent()) {
        throw new IllegalArgumentException("event is missing");
      }
      CloudEvent event = WireMapper.cloudEvent(req.getEvent(), "event");
      r.onNext(
          OfferEventResponse.newBuilder()
              .addAllInstanceIds(engine.route(event).instances())
              .build());
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  @Override
  public void relocatePart(
      io.sluice.proto.RelocatePartRequest req,
      StreamObserver<io.sluice.proto.RelocatePartResponse> r) {
    try {
      String id = required(req.getInstanceId(), "instance_id");
      String part = required(req.getPartWorker(), "part_worker");
      String holder = required(req.getHolderWorker(), "holder_worker");
      if (!holder.equals(engine.workerId()) && !req.getHolderAddress().isBlank()) {
        peers.addPeers(Map.of(holder, req.getHolderAddress()));
      }
      moves.moved(id, part, holder);
      java.util.List<io.sluice.cluster.api.EdgeEvent> moved = peers.move(id, part, holder);
      if (holder.equals(engine.workerId())) {
        moved.forEach(engine::receive); // held by the engine until the adoption
      }
      r.onNext(
          io.sluice.proto.RelocatePartResponse.newBuilder().setEventsMoved(moved.size()).build());
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  @Override
  public void adoptPart(
      io.sluice.proto.AdoptPartRequest req, StreamObserver<io.sluice.proto.AdoptPartResponse> r) {
    try {
      String id = required(req.getInstanceId(), "instance_id");
      String part = required(req.getPartWorker(), "part_worker");
      WorkflowKey key = deployed(WireMapper.workflowKey(req.getWorkflow()));
      if (req.getPlacementCount() == 0) {
        throw new IllegalArgumentException("placement is empty (instance " + id + ")");
      }
      Map<String, String> placement = req.getPlacementMap();
      io.sluice.cluster.durable.Journal journal = moves.journal();
      if (!journal.enabled()) {
        throw new io.sluice.cluster.api.ClusterException(
            io.sluice.cluster.api.ClusterException.Reason.REFUSED,
            "worker "
                + engine.workerId()
                + " has no journal (durability: none): it cannot take over part "
                + part
                + " of instance "
                + id);
      }
      if (part.equals(engine.workerId())) {
        redrive(id, journal, r);
        return;
      }
      moves.moved(id, part, engine.workerId());
      journal
          .load(id)
          .whenComplete(
              (rec, ex) -> {
                try {
                  if (ex != null) {
                    throw new IllegalStateException(
                        "cannot read instance " + id + " from the journal: " + ex.getMessage(), ex);
                  }
                  if (rec.isEmpty()) {
                    throw new NotFoundException(
                        "instance " + id + " is not in the journal (expired, or never started)");
                  }
                  engine.adopt(id, key, placement, part, rec.get());
                  r.onNext(
                      io.sluice.proto.AdoptPartResponse.newBuilder()
                          .setRecordedCalls(rec.get().calls().size())
                          .setRecordedEdges(rec.get().edges().size())
                          .build());
                  r.onCompleted();
                } catch (RuntimeException e) {
                  GrpcErrors.fail(r, e);
                }
              });
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  /** The logs this worker kept of the instance's calls; none when it keeps no logs. */
  @Override
  public void getLogs(
      io.sluice.proto.GetLogsRequest req, StreamObserver<io.sluice.proto.GetLogsResponse> r) {
    try {
      required(req.getInstanceId(), "instance_id");
      if (req.getMaxBytes() < 0) {
        throw new IllegalArgumentException("max_bytes must be >= 0, got " + req.getMaxBytes());
      }
      r.onNext(
          logs == null
              ? io.sluice.proto.GetLogsResponse.getDefaultInstance()
              : logs.get(req.getInstanceId(), req.getNodeId(), req.getMaxBytes()));
      r.onCompleted();
    } catch (RuntimeException e) {
      GrpcErrors.fail(r, e);
    }
  }

  /**
   * An AdoptPart of this worker's own part: the master redrives the ended instance (Redrive). The
   * part is prepared to run again with the successful call outcomes the journal kept; the master's
   * StartInstance that follows starts it.
   */
  private void redrive(
      String id,
      io.sluice.cluster.durable.Journal journal,
      StreamObserver<io.sluice.proto.AdoptPartResponse> r) {
    moves.forget(id);
    journal
        .load(id)
        .thenCompose(
            rec -> {
              if (rec.isEmpty()) {
                throw new NotFoundException(
                    "instance " + id + " is not in the journal (expired, or never started)");
              }
              return engine
                  .prepareRedrive(id, rec.get().calls())
                  .thenApply(
                      v ->
                          io.sluice.proto.AdoptPartResponse.newBuilder()
                              .setRecordedCalls(rec.get().calls().size())
                              .build());
            })
        .whenComplete(
            (answer, ex) -> {
              if (ex != null) {
                GrpcErrors.fail(r, ex);
              } else {
                r.onNext(answer);
                r.onCompleted();
              }
            });
  }

  private WorkflowKey deployed(WorkflowKey key) {
    if (!engine.deployed(key)) {
      throw new NotFoundException(
          "workflow "
              + key
              + " is not deployed on worker "
              + engine.workerId()
              + "; DeploySubgraph it first");
    }
    return key;
  }

  private static String required(String value, String field) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }
}
