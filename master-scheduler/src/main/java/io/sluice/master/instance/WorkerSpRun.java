package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.master.ExecutionMode;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.MasterWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.CancelInstanceRequest;
import io.sluice.proto.DeliverEventRequest;
import io.sluice.proto.DeliverEventResponse;
import io.sluice.proto.Mode;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A WorkerSP instance: every worker holding nodes starts its part with the input; the workers
 * trigger each other; the master only hears each part end and completes the instance when all did
 * (or fails it at the first failed part and cancels the rest).
 */
public final class WorkerSpRun extends InstanceRun {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private final WorkerClients clients;
  private final InstanceCompletion completion;
  private final Set<String> holders;

  /** Workers whose completed part kept no values (inline data): they need no release. */
  private final Set<String> keepsNothing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public WorkerSpRun(
      String id, DeploymentView view, JsonNode input, Scheduler scheduler, WorkerClients clients) {
    super(id, view, input, scheduler);
    this.clients = clients;
    this.holders = view.holders();
    this.completion = new InstanceCompletion(view.workflow().graph(), input, holders);
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.WORKER;
  }

  @Override
  public void start() {
    StartInstanceRequest.Builder common =
        StartInstanceRequest.newBuilder()
            .setInstanceId(id)
            .setWorkflow(MasterWire.ref(view.key()))
            .setInput(MasterWire.payload(input))
            .setMode(Mode.MODE_WORKER)
            .setOptions(MasterWire.runOptions(view.binding()));
    for (String workerId : holders) {
      WorkerInfo w = view.worker(workerId);
      StartInstanceRequest req =
          common.clone().clearEntryNodes().addAllEntryNodes(view.entriesOn(workerId)).build();
      traffic.roundTrip(req.getSerializedSize(), 0);
      onFailure(
          clients.future(w, CALL_DEADLINE).startInstance(req),
          t ->
              abort(
                  InstanceState.FAILED,
                  new InstanceError(
                      "-",
                      "WorkerUnreachable",
                      "starting instance "
                          + id
                          + " on worker "
                          + w.describe()
                          + " failed: "
                          + t.getMessage()),
                  workerId));
    }
  }

  /** A worker's part ended; its report took {@code wireBytes} on the wire. */
  public void partFinished(PartResult part, int wireBytes) {
    traffic.roundTrip(wireBytes, 0);
    if (!part.retainsData() && part.state() == InstanceState.COMPLETED) {
      keepsNothing.add(part.workerId());
    }
    completion
        .accept(part)
        .ifPresent(
            o -> {
              bytesMoved = new long[] {o.bytesLocal(), o.bytesPeer(), o.bytesRedis()};
              criticalPath = new long[] {o.pathComputeNanos(), o.pathDataNanos()};
              // Counted before the end is reported, sent after it.
              List<WorkerInfo> toRelease = releaseTargets();
              CancelInstanceRequest release = release();
              toRelease.forEach(w -> traffic.roundTrip(release.getSerializedSize(), 0));
              String errorWorker = o.error() == null ? null : part.workerId();
              finish(
                  build(
                      o.state(),
                      o.output(),
                      o.error(),
                      errorWorker,
                      o.workersUsed(),
                      o.crossWorkerEvents(),
                      o.nodesExecuted(),
                      o.nodesSkipped(),
                      o.invocations()));
              if (o.state() != InstanceState.COMPLETED) {
                cancelParts("the instance failed on worker " + part.workerId(), null);
              }
              toRelease.forEach(w -> clients.future(w, CALL_DEADLINE).cancelInstance(release));
            });
  }

  @Override
  public boolean usesWorker(String workerId) {
    return holders.contains(workerId);
  }

  @Override
  public boolean abort(InstanceState state, InstanceError error, String workerId) {
    var o = completion.abort(state, error);
    if (o.isEmpty()) {
      return false;
    }
    var out = o.get();
    finish(
        build(
            state,
            null,
            error,
            workerId,
            out.workersUsed(),
            out.crossWorkerEvents(),
            out.nodesExecuted(),
            out.nodesSkipped(),
            out.invocations()));
    cancelParts(error.message(), workerId);
    return true;
  }

  private CancelInstanceRequest release() {
    return CancelInstanceRequest.newBuilder()
        .setInstanceId(id)
        .setReason("released: the instance ended")
        .build();
  }

  /**
   * Who frees what it stored for the ended instance (FaaStore values, pushed copies): every worker
   * that held a part, but one whose completed part kept nothing (values inline) released itself. A
   * CancelInstance for a finished part only releases its data.
   */
  private List<WorkerInfo> releaseTargets() {
    List<WorkerInfo> out = new ArrayList<>(holders.size());
    for (String workerId : holders) {
      WorkerInfo w = view.worker(workerId);
      if (w != null && !keepsNothing.contains(workerId)) {
        out.add(w);
      }
    }
    return out;
  }

  private void cancelParts(String reason, String except) {
    for (String workerId : completion.pendingWorkers()) {
      if (workerId.equals(except)) {
        continue;
      }
      WorkerInfo w = view.worker(workerId);
      clients
          .future(w, CALL_DEADLINE)
          .cancelInstance(
              CancelInstanceRequest.newBuilder().setInstanceId(id).setReason(reason).build());
    }
  }

  @Override
  public CompletableFuture<Boolean> deliverAsync(CloudEvent event) {
    List<ListenableFuture<DeliverEventResponse>> calls = new ArrayList<>();
    DeliverEventRequest req =
        DeliverEventRequest.newBuilder()
            .setInstanceId(id)
            .setEvent(MasterWire.cloudEvent(event, id))
            .build();
    for (String workerId : holders) {
      try {
        calls.add(clients.future(view.worker(workerId), CALL_DEADLINE).deliverEvent(req));
      } catch (RuntimeException e) {
        calls.add(Futures.immediateFailedFuture(e));
      }
    }
    CompletableFuture<Boolean> delivered = new CompletableFuture<>();
    // A worker that cannot take it does not hold the waiting node; the others may. Each call has
    // its deadline, so this completes.
    Futures.addCallback(
        Futures.successfulAsList(calls),
        new FutureCallback<List<DeliverEventResponse>>() {
          @Override
          public void onSuccess(List<DeliverEventResponse> answers) {
            delivered.complete(answers.stream().anyMatch(a -> a != null && a.getDelivered()));
          }

          @Override
          public void onFailure(Throwable t) {
            delivered.complete(false);
          }
        },
        MoreExecutors.directExecutor());
    return delivered;
  }

  @Override
  public InstanceReport report() {
    InstanceReport r = finalReport();
    return r != null ? r : build(InstanceState.RUNNING, null, null, null, Set.of(), 0, 0, 0, 0);
  }

  private static <T> void onFailure(
      ListenableFuture<T> f, java.util.function.Consumer<Throwable> handler) {
    Futures.addCallback(
        f,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T result) {}

          @Override
          public void onFailure(Throwable t) {
            handler.accept(t);
          }
        },
        MoreExecutors.directExecutor());
  }
}
