package io.sluice.master.instance;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.sluice.engine.InstanceLog;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.MasterWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.AdoptPartRequest;
import io.sluice.proto.AdoptPartResponse;
import io.sluice.proto.RelocatePartRequest;
import io.sluice.proto.RelocatePartResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each part of one durable WorkerSP instance runs, and moving the parts of a dead worker to
 * live ones (docs/durability.md): every live worker holding a part is told where the moved part is
 * now ({@code RelocatePart}: it re-sends the events it had not got acknowledged there and refuses
 * the dead worker's late ones), then the chosen worker takes the part over ({@code AdoptPart}: it
 * replays what the journal recorded). Parts are named by the worker they were placed on; a part's
 * holder is that worker until it dies.
 */
final class PartRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(PartRecovery.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private final String instanceId;
  private final Map<String, String> holderOf = new ConcurrentHashMap<>();
  private final WorkerClients clients;
  private final Function<String, WorkerInfo> workers;
  private final io.sluice.cluster.durable.Journal journal;

  /** The deployment the instance started with, sent to an heir that does not hold it. */
  private final io.sluice.master.deploy.DeploymentView view;

  /** Parts moved so far (for status and the chaos test's figures). */
  private int moves;

  PartRecovery(
      String instanceId,
      Set<String> parts,
      WorkerClients clients,
      Function<String, WorkerInfo> workers,
      io.sluice.cluster.durable.Journal journal,
      io.sluice.master.deploy.DeploymentView view) {
    this.journal = journal;
    this.view = view;
    this.instanceId = instanceId;
    this.clients = clients;
    this.workers = workers;
    parts.forEach(p -> holderOf.put(p, p));
  }

  /** Where parts ran when the master (restarted) read the journal: part -> holder. */
  synchronized void restore(Map<String, String> moved) {
    moved.forEach(
        (part, holder) -> {
          if (holderOf.containsKey(part)) {
            holderOf.put(part, holder);
          }
        });
  }

  /** The worker that runs part {@code part} now. */
  String holderOf(String part) {
    return holderOf.getOrDefault(part, part);
  }

  /** The workers running parts now, each once. */
  Set<String> holders() {
    return new TreeSet<>(holderOf.values());
  }

  synchronized int moves() {
    return moves;
  }

  /**
   * Moves the parts in {@code pending} that {@code dead} ran to live workers; completes with the
   * number moved, or fails naming what went wrong (the caller fails the instance then).
   */
  CompletableFuture<Integer> workerDied(
      String dead,
      Set<String> pending,
      List<WorkerInfo> live,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow) {
    List<String> parts = new ArrayList<>();
    for (String p : pending) {
      if (holderOf(p).equals(dead)) {
        parts.add(p);
      }
    }
    List<WorkerInfo> candidates = new ArrayList<>();
    for (WorkerInfo w : live) {
      if (!w.id().equals(dead)) {
        candidates.add(w);
      }
    }
    if (parts.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    if (candidates.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no live worker can take over its parts " + parts));
    }
    candidates.sort(java.util.Comparator.comparing(WorkerInfo::id));
    Map<String, WorkerInfo> heirs = new java.util.LinkedHashMap<>();
    for (String part : parts) {
      WorkerInfo heir = heir(instanceId, part, candidates);
      if (heir == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "no live worker but a new incarnation of " + part + " can take over its part"));
      }
      heirs.put(part, heir);
    }
    CompletableFuture<Integer> all = CompletableFuture.completedFuture(0);
    for (String part : parts) {
      WorkerInfo heir = heirs.get(part);
      synchronized (this) {
        holderOf.put(part, heir.id());
        moves++;
      }
      all = all.thenCompose(n -> move(part, dead, heir, placement, workflow).thenApply(x -> n + 1));
    }
    return all;
  }

  /**
   * The worker that takes over {@code part} (named by the worker it was placed on) among {@code
   * candidates} (live, sorted by id): spread over them by instance and part, the same choice every
   * time; never a new incarnation of the part's own worker, since a part held under its own name
   * reads as not moved (its worker refuses to adopt it, and the part would stay lost). Null when no
   * other worker is live.
   */
  static WorkerInfo heir(String instanceId, String part, List<WorkerInfo> candidates) {
    List<WorkerInfo> others = new ArrayList<>();
    for (WorkerInfo w : candidates) {
      if (!w.id().equals(part)) {
        others.add(w);
      }
    }
    return others.isEmpty()
        ? null
        : others.get(Math.floorMod((instanceId + "/" + part).hashCode(), others.size()));
  }

  private CompletableFuture<Void> move(
      String part,
      String dead,
      WorkerInfo heir,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    // The heir must hold the deployment before the others re-send it the part's events: a worker
    // drops (and acknowledges) events of a workflow it does not hold.
    after(
        deployTo(heir, false),
        () -> relocate(part, dead, heir, placement, workflow, done),
        done,
        heir,
        part,
        "deploying " + ref(workflow) + " there failed");
    return done;
  }

  private void relocate(
      String part,
      String dead,
      WorkerInfo heir,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow,
      CompletableFuture<Void> done) {
    RelocatePartRequest relocate =
        RelocatePartRequest.newBuilder()
            .setInstanceId(instanceId)
            .setPartWorker(part)
            .setHolderWorker(heir.id())
            .setHolderAddress(heir.address())
            .build();
    List<ListenableFuture<RelocatePartResponse>> told = new ArrayList<>();
    for (String h : holders()) {
      WorkerInfo w = workers.apply(h);
      if (w != null && !h.equals(dead)) {
        told.add(clients.future(w, CALL_DEADLINE).relocatePart(relocate));
      }
    }
    journal
        .partMoved(instanceId, part, heir.id())
        .whenComplete(
            (ok, ex) -> {
              if (ex != null) {
                InstanceLog.warn(
                    LOG,
                    instanceId,
                    null,
                    "instance {}: the move of part {} to {} is not in the journal: {}",
                    instanceId,
                    part,
                    heir.id(),
                    ex.getMessage());
              }
              tell(told, part, dead, heir, placement, workflow, done);
            });
  }

  private void tell(
      List<ListenableFuture<RelocatePartResponse>> told,
      String part,
      String dead,
      WorkerInfo heir,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow,
      CompletableFuture<Void> done) {
    // A holder that cannot be told is dead too (its own parts move when it is declared so).
    Futures.addCallback(
        Futures.successfulAsList(told),
        new FutureCallback<List<RelocatePartResponse>>() {
          @Override
          public void onSuccess(List<RelocatePartResponse> answers) {
            int moved = 0;
            for (RelocatePartResponse a : answers) {
              moved += a == null ? 0 : a.getEventsMoved();
            }
            adopt(part, dead, heir, placement, workflow, moved, false, done);
          }

          @Override
          public void onFailure(Throwable t) {
            done.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
  }

  private void adopt(
      String part,
      String dead,
      WorkerInfo heir,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow,
      int eventsMoved,
      boolean deployed,
      CompletableFuture<Void> done) {
    AdoptPartRequest req =
        AdoptPartRequest.newBuilder()
            .setInstanceId(instanceId)
            .setPartWorker(part)
            .setWorkflow(workflow)
            .putAllPlacement(placement)
            .build();
    Futures.addCallback(
        clients.future(heir, CALL_DEADLINE).adoptPart(req),
        new FutureCallback<AdoptPartResponse>() {
          @Override
          public void onSuccess(AdoptPartResponse a) {
            InstanceLog.info(
                LOG,
                instanceId,
                null,
                "instance {}: part {} moved from dead worker {} to {} ({} recorded calls, {}"
                    + " recorded edges, {} unacknowledged events re-sent)",
                instanceId,
                part,
                dead,
                heir.id(),
                a.getRecordedCalls(),
                a.getRecordedEdges(),
                eventsMoved);
            done.complete(null);
          }

          @Override
          public void onFailure(Throwable t) {
            if (!deployed && Status.fromThrowable(t).getCode() == Status.Code.NOT_FOUND) {
              redeploy(part, dead, heir, placement, workflow, eventsMoved, t, done);
              return;
            }
            done.completeExceptionally(couldNotTake(heir, part, t.toString(), t));
          }
        },
        MoreExecutors.directExecutor());
  }

  /** Deploys the workflow on {@code heir}, which did not hold it, then has it adopt the part. */
  private void redeploy(
      String part,
      String dead,
      WorkerInfo heir,
      Map<String, String> placement,
      io.sluice.proto.WorkflowRef workflow,
      int eventsMoved,
      Throwable notFound,
      CompletableFuture<Void> done) {
    InstanceLog.info(
        LOG,
        instanceId,
        null,
        "instance {}: worker {} does not hold {} ({}); deploying it there before it takes part {}",
        instanceId,
        heir.id(),
        ref(workflow),
        Status.fromThrowable(notFound).getDescription(),
        part);
    after(
        deployTo(heir, true),
        () -> adopt(part, dead, heir, placement, workflow, eventsMoved, true, done),
        done,
        heir,
        part,
        "it did not hold " + ref(workflow) + " and deploying it there failed");
  }

  /**
   * Sends the instance's deployment to {@code heir}, naming as peers the instance's workers where
   * they are registered now, and the heir; unless {@code force}, only when the heir was not sent it
   * (it joined after the deployment, or restarted since: another incarnation).
   */
  private ListenableFuture<?> deployTo(WorkerInfo heir, boolean force) {
    WorkerInfo sent = view.workers().get(heir.id());
    if (!force && sent != null && sent.incarnation() == heir.incarnation()) {
      return Futures.immediateVoidFuture();
    }
    Map<String, WorkerInfo> peers = new java.util.LinkedHashMap<>();
    view.workers()
        .forEach(
            (id, was) -> {
              WorkerInfo now = workers.apply(id);
              peers.put(id, now != null ? now : was);
            });
    peers.put(heir.id(), heir);
    clients.reconnectNow(heir);
    return clients
        .future(heir, Duration.ofSeconds(30))
        .deploySubgraph(io.sluice.master.deploy.Deployments.request(view, peers.values()));
  }

  /** Runs {@code next} when {@code step} succeeds, else fails {@code done} saying {@code why}. */
  private static void after(
      ListenableFuture<?> step,
      Runnable next,
      CompletableFuture<Void> done,
      WorkerInfo heir,
      String part,
      String why) {
    Futures.addCallback(
        step,
        new FutureCallback<Object>() {
          @Override
          public void onSuccess(Object ok) {
            next.run();
          }

          @Override
          public void onFailure(Throwable t) {
            done.completeExceptionally(couldNotTake(heir, part, why + ": " + t, t));
          }
        },
        MoreExecutors.directExecutor());
  }

  private static IllegalStateException couldNotTake(
      WorkerInfo heir, String part, String why, Throwable t) {
    return new IllegalStateException(
        "worker " + heir.describe() + " could not take part " + part + ": " + why, t);
  }

  static String ref(io.sluice.proto.WorkflowRef r) {
    return r.getName() + "@" + r.getVersion();
  }

  static io.sluice.proto.WorkflowRef workflowRef(io.sluice.cluster.api.WorkflowKey key) {
    return MasterWire.ref(key);
  }
}
