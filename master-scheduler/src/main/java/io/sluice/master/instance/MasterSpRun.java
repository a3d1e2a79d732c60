package io.sluice.master.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.master.ExecutionMode;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.time.Scheduler;
import java.util.concurrent.CompletableFuture;

/**
 * A MasterSP instance: its state machine runs in the master's engine for the deployment, and each
 * function call is one Dispatch round trip to the node's worker.
 */
public final class MasterSpRun extends InstanceRun {
  private final MasterSpEngine engine;
  private volatile String engineId;

  MasterSpRun(
      String id, DeploymentView view, JsonNode input, Scheduler scheduler, MasterSpEngine engine) {
    super(id, view, input, scheduler);
    this.engine = engine;
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.MASTER;
  }

  @Override
  public void start() {
    // Under the master's id: the functions' idempotency keys start with it, as in worker mode.
    String eid = engine.engine.start(engine.deployed, input, id);
    engineId = eid;
    engine.runs.put(eid, id);
    engine
        .engine
        .completion(eid)
        .whenComplete(
            (s, t) -> {
              if (t != null) {
                finish(
                    build(
                        InstanceState.FAILED,
                        null,
                        new InstanceError("-", "EngineFailed", String.valueOf(t.getMessage())),
                        null,
                        engine.dispatch.used(eid),
                        0,
                        0,
                        0,
                        0));
              } else {
                criticalPath = new long[] {s.criticalPathComputeNanos(), s.criticalPathDataNanos()};
                traffic.add(engine.dispatch.traffic(eid));
                finish(from(s));
              }
              engine.dispatch.forget(eid);
              // engine.runs keeps the id until the master forgets the instance (retired): an
              // offer that routed the event to it may map the id after the instance ended
            });
  }

  /** The master forgot this finished instance: its engine id no longer maps to it. */
  void retired() {
    String eid = engineId;
    if (eid != null) {
      engine.runs.remove(eid);
    }
  }

  private InstanceReport from(InstanceStatus s) {
    return build(
        s.state(),
        s.output(),
        s.error(),
        null,
        engine.dispatch.used(engineId),
        0,
        s.nodesExecuted(),
        s.nodesSkipped(),
        s.invocations());
  }

  @Override
  public boolean usesWorker(String workerId) {
    return view.holders().contains(workerId);
  }

  @Override
  public boolean abort(InstanceState state, InstanceError error, String workerId) {
    String eid = engineId;
    var s = eid == null ? null : engine.engine.status(eid).orElse(null);
    boolean ended =
        finish(
            build(
                state,
                null,
                error,
                workerId,
                eid == null ? java.util.Set.of() : engine.dispatch.used(eid),
                0,
                s == null ? 0 : s.nodesExecuted(),
                s == null ? 0 : s.nodesSkipped(),
                s == null ? 0 : s.invocations()));
    if (ended && eid != null) {
      engine.engine.cancel(eid);
    }
    return ended;
  }

  @Override
  public CompletableFuture<Boolean> deliverAsync(CloudEvent event) {
    String eid = engineId;
    // the master's own engine takes the event into the instance's mailbox: no waiting
    return CompletableFuture.completedFuture(
        eid != null
            && engine.engine.deliver(
                CloudEventBuilder.v1(event).withExtension("sluiceinstance", eid).build()));
  }

  @Override
  public InstanceReport report() {
    InstanceReport r = finalReport();
    if (r != null) {
      return r;
    }
    String eid = engineId;
    var s = eid == null ? null : engine.engine.status(eid).orElse(null);
    if (s == null || s.state().terminal()) {
      return build(InstanceState.RUNNING, null, null, null, java.util.Set.of(), 0, 0, 0, 0);
    }
    return from(s);
  }
}
