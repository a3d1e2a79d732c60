package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.MasterWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.model.Node;
import io.sluice.proto.DispatchRequest;
import io.sluice.proto.DispatchResponse;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.time.Scheduler;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * MasterSP's only function runtime: every call becomes a {@code WorkerService.Dispatch} to the
 * worker the placement names for the node (a nested node runs where its top-level map, loop or
 * sub-workflow node is placed), and the worker's answer becomes the call's result or error.
 */
final class DispatchRuntime implements FunctionRuntime {
  static final String KIND = "dispatch";
  static final String WORKER_LOST = "WorkerLost";

  private final WorkerClients clients;
  private final Scheduler scheduler;
  private final List<String> containers;
  private final Map<String, Set<String>> usedByInstance = new ConcurrentHashMap<>();
  private final Map<String, MasterTraffic> trafficByInstance = new ConcurrentHashMap<>();
  private volatile DeploymentView view;

  DispatchRuntime(DeploymentView view, WorkerClients clients, Scheduler scheduler) {
    this.view = view;
    this.clients = clients;
    this.scheduler = scheduler;
    this.containers =
        view.workflow().graph().nodes().values().stream()
            .filter(n -> n.innerGraph().isPresent())
            .map(Node::id)
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  void update(DeploymentView v) {
    this.view = v;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Workers this root instance dispatched to. */
  Set<String> used(String rootId) {
    Set<String> s = usedByInstance.get(rootId);
    return s == null ? Set.of() : Set.copyOf(s);
  }

  /** The Dispatch messages of this root instance so far. */
  MasterTraffic traffic(String rootId) {
    MasterTraffic t = trafficByInstance.get(rootId);
    return t == null ? new MasterTraffic() : t;
  }

  void forget(String rootId) {
    usedByInstance.remove(rootId);
    trafficByInstance.remove(rootId);
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    DeploymentView v = view;
    String root = rootOf(inv.instanceId());
    String top = topNode(root, inv.instanceId(), inv.nodeId());
    String workerId = v.placement().workerOf(top);
    WorkerInfo w = workerId == null ? null : v.workers().get(workerId);
    if (w == null) {
      return CompletableFuture.failedFuture(
          new FunctionException(
              WORKER_LOST,
              "node '" + inv.nodeId() + "' has no live worker in deployment " + v.key(),
              false));
    }
    usedByInstance.computeIfAbsent(root, k -> ConcurrentHashMap.newKeySet()).add(workerId);
    DispatchRequest.Builder req =
        DispatchRequest.newBuilder()
            .setInstanceId(inv.instanceId())
            .setWorkflow(MasterWire.ref(v.key()))
            .setNodeId(inv.nodeId())
            .setInput(MasterWire.payload(inv.input()))
            .setAttempt(inv.attempt())
            .setIdempotencyKey(inv.idempotencyKey())
            .setStepKey(inv.stepKey())
            .setOptions(MasterWire.runOptions(v.binding()));
    var stub = clients.future(w);
    if (inv.hasDeadline()) {
      long left = Math.max(1, inv.deadlineNanos() - scheduler.nanoTime());
      req.setTimeout(
          com.google.protobuf.Duration.newBuilder()
              .setSeconds(left / 1_000_000_000L)
              .setNanos((int) (left % 1_000_000_000L)));
      stub = stub.withDeadlineAfter(left + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    DispatchRequest request = req.build();
    MasterTraffic traffic = trafficByInstance.computeIfAbsent(root, k -> new MasterTraffic());
    traffic.message(request.getSerializedSize());
    Futures.addCallback(
        stub.dispatch(request),
        new FutureCallback<DispatchResponse>() {
          @Override
          public void onSuccess(DispatchResponse r) {
            traffic.message(r.getSerializedSize());
            try {
              if (inv.callTime() != null && r.hasComputeTime()) {
                inv.callTime()
                    .report(
                        r.getComputeTime().getSeconds() * 1_000_000_000L
                            + r.getComputeTime().getNanos());
              }
              if (r.hasError()) {
                result.completeExceptionally(WireMapper.functionException(r.getError()));
              } else {
                result.complete(
                    MasterWire.json(r.getResult(), "dispatch result of " + inv.nodeId()));
              }
            } catch (RuntimeException e) {
              result.completeExceptionally(
                  new FunctionException(FunctionException.BAD_OUTPUT, e.getMessage(), false));
            }
          }

          @Override
          public void onFailure(Throwable t) {
            traffic.message(0);
            Status s = Status.fromThrowable(t);
            boolean lost = s.getCode() == Status.Code.UNAVAILABLE;
            result.completeExceptionally(
                new FunctionException(
                    lost ? WORKER_LOST : "DispatchFailed",
                    "dispatching node '"
                        + inv.nodeId()
                        + "' to worker "
                        + w.describe()
                        + " failed: "
                        + s.getCode()
                        + (s.getDescription() == null ? "" : " " + s.getDescription()),
                    lost));
          }
        },
        MoreExecutors.directExecutor());
    return result;
  }

  static String rootOf(String instanceId) {
    int dot = instanceId.indexOf('.');
    return dot < 0 ? instanceId : instanceId.substring(0, dot);
  }

  /** The top-level node whose placement a (possibly nested) call follows. */
  String topNode(String root, String instanceId, String nodeId) {
    if (instanceId.length() == root.length()) {
      return nodeId;
    }
    String rest = instanceId.substring(root.length() + 1);
    for (String c : containers) {
      if (rest.startsWith(c + ".")) {
        return c;
      }
    }
    return nodeId;
  }
}
