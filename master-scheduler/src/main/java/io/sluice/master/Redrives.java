package io.sluice.master;

import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.Recorded;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.instance.Instances;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.model.Node;
import io.sluice.proto.InstanceStatus;
import io.sluice.runtime.CallKey;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Redrive (docs/durability.md): runs a failed or cancelled instance again under its id from the
 * nodes that did not complete, as Step Functions' redrive does. It stands on what durability
 * records: the journal drops the instance's failed call outcomes (and its edges, part ends and end)
 * and keeps the successful ones; every part starts again and answers those calls from the record,
 * so completed nodes give their outputs again without their functions being called, and the failed
 * ones run. A cluster without durability keeps no outcomes: it refuses, saying so.
 */
public final class Redrives {
  /** What a redrive did: top-level nodes whose recorded outputs are reused, and the others. */
  public record Result(String instanceId, int nodesKept, int nodesRerun) {}

  private static final long JOURNAL_SECONDS = 10;

  private final Instances instances;
  private final WorkflowRegistry registry;
  private final Function<String, Optional<InstanceStatus>> recordedStatus;

  Redrives(
      Instances instances,
      WorkflowRegistry registry,
      Function<String, Optional<InstanceStatus>> recordedStatus) {
    this.instances = instances;
    this.registry = registry;
    this.recordedStatus = recordedStatus;
  }

  /** Redrives instance {@code id}; see the class comment. */
  public Result redrive(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("missing field instance_id");
    }
    Journal journal = instances.journal();
    if (!journal.enabled()) {
      throw refused(
          "instance "
              + id
              + " cannot be redriven: redrive needs a durable cluster (durability: redis), whose"
              + " journal keeps the outputs of the completed nodes (docs/durability.md)");
    }
    DeploymentView view = null;
    Optional<InstanceRun> known = instances.find(id);
    if (known.isPresent()) {
      InstanceRun run = known.get();
      if (!run.finished()) {
        throw refused(
            "instance " + id + " is running: only a failed or cancelled instance can be redriven");
      }
      if (run.mode() != ExecutionMode.WORKER) {
        throw refused(
            "instance " + id + " ran with --mode master: only worker-mode instances are redriven");
      }
      check(id, run.report().state());
      view = run.view();
    } else {
      InstanceStatus s =
          recordedStatus
              .apply(id)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "no instance "
                              + id
                              + " on this master or in "
                              + journal.describe()
                              + " (ended ones are kept for the durability retention)"));
      switch (s.getState()) {
        case INSTANCE_STATE_FAILED -> check(id, InstanceState.FAILED);
        case INSTANCE_STATE_CANCELLED -> check(id, InstanceState.CANCELLED);
        case INSTANCE_STATE_SUCCEEDED -> check(id, InstanceState.COMPLETED);
        default -> check(id, InstanceState.RUNNING);
      }
    }
    Recorded kept;
    try {
      kept =
          journal
              .redrive(id)
              .toCompletableFuture()
              .get(JOURNAL_SECONDS, TimeUnit.SECONDS)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "instance " + id + " is not in " + journal.describe() + " (expired?)"));
      if (view == null) {
        view = MasterReload.view(registry, kept.start());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException(ClusterException.Reason.UNAVAILABLE, "interrupted");
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new ClusterException(
          ClusterException.Reason.UNAVAILABLE,
          "instance "
              + id
              + " cannot be redriven: "
              + journal.describe()
              + " did not answer: "
              + e.getMessage());
    }
    instances.redrive(view, kept.start());
    int nodes = view.workflow().graph().nodes().size();
    int reused = 0;
    for (Node n : view.workflow().graph().nodes().values()) {
      if (completed(kept, id, n.id())) {
        reused++;
      }
    }
    return new Result(id, reused, nodes - reused);
  }

  /** Whether a top-level node has a successful recorded call (any attempt). */
  private static boolean completed(Recorded kept, String id, String nodeId) {
    String first = CallKey.of(id, nodeId, 1).idempotencyKey();
    String prefix = first.substring(0, first.length() - 1); // ROOT/node@
    for (var e : kept.calls().entrySet()) {
      String k = e.getKey();
      if (k.startsWith(prefix)
          && k.substring(prefix.length()).chars().allMatch(Character::isDigit)
          && !e.getValue().failed()) {
        return true;
      }
    }
    return false;
  }

  private static void check(String id, InstanceState state) {
    if (state == InstanceState.FAILED || state == InstanceState.CANCELLED) {
      return;
    }
    throw refused(
        "instance "
            + id
            + " is "
            + (state == InstanceState.COMPLETED
                ? "succeeded: nothing to redrive;"
                : state.name().toLowerCase(java.util.Locale.ROOT) + ":")
            + " only a failed or cancelled instance can be redriven");
  }

  private static ClusterException refused(String message) {
    return new ClusterException(ClusterException.Reason.REFUSED, message);
  }
}
