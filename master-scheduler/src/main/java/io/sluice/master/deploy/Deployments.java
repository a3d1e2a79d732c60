package io.sluice.master.deploy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.PartitionOptions;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.rpc.PlacementWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.model.WorkflowGraph;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.PeerAddress;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deploys each (workflow version, binding) once to every live worker that takes new parts (not
 * draining), with the full placement and the peers' addresses, and again when that set changed and
 * with it the placement, or a worker registered since (a worker that joined, restarted under its
 * id, or came back after it was declared dead holds none of the earlier deployments: {@link
 * Membership#registrations()} tells). A draining worker keeps the deployments it holds for the
 * parts it still runs, and is left out of new ones.
 */
public final class Deployments {
  private static final Duration DEPLOY_DEADLINE = Duration.ofSeconds(30);

  /**
   * A deployment as sent: its view, the membership epoch it was checked at, and the registration
   * number of each worker it was sent to.
   */
  private record State(DeploymentView view, long epoch, Map<String, Long> registrations) {}

  private final Membership membership;
  private final Partitioner partitioner;
  private final PartitionOptions options;
  private final WorkerClients clients;
  private final Map<WorkflowKey, State> states = new ConcurrentHashMap<>();
  private final Map<WorkflowKey, Object> locks = new ConcurrentHashMap<>();

  public Deployments(
      Membership membership,
      Partitioner partitioner,
      PartitionOptions options,
      WorkerClients clients) {
    this.membership = membership;
    this.partitioner = partitioner;
    this.options = options;
    this.clients = clients;
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  /**
   * Places {@code g} (hints refined by what ran) over the live, non-draining workers with {@code
   * p}; throws FAILED_PRECONDITION when no worker is alive, or every live one is draining.
   */
  public Placement place(RegisteredWorkflow wf, WorkflowGraph g, Partitioner p) {
    List<WorkerCapacity> live = membership.placeableCapacities();
    if (live.isEmpty()) {
      List<String> draining = membership.liveDraining();
      if (!draining.isEmpty()) {
        throw Status.FAILED_PRECONDITION
            .withDescription(
                "every live worker is draining ("
                    + String.join(", ", draining)
                    + "), so none takes a new instance: undrain one (sluice drain WORKER --undo"
                    + " --master HOST:PORT), restart one, or start another worker")
            .asRuntimeException();
      }
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "no live workers: start workers (sluice worker --config FILE --id ID) and wait until"
                  + " they register with the master")
          .asRuntimeException();
    }
    WorkflowGraph refined = wf == null ? g : wf.refiner().refine(g);
    return p.partition(refined, live, options);
  }

  /** The current deployment of {@code wf} with {@code binding}, deploying it first if needed. */
  public DeploymentView ensure(RegisteredWorkflow wf, Binding binding) {
    WorkflowKey key = keyOf(wf, binding);
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      long epoch = membership.epoch();
      State s = states.get(key);
      if (s != null && s.epoch == epoch) {
        return s.view;
      }
      List<WorkerInfo> open = membership.placeable();
      Map<String, Long> registrations = new LinkedHashMap<>(membership.registrations());
      Placement placement = place(wf, wf.graph(), partitioner);
      for (int again = 0; again < 3 && membership.epoch() != epoch; again++) {
        // a worker registered, died or (un)drained meanwhile: take a consistent view
        epoch = membership.epoch();
        open = membership.placeable();
        registrations = new LinkedHashMap<>(membership.registrations());
        placement = place(wf, wf.graph(), partitioner);
      }
      Map<String, WorkerInfo> workers = new LinkedHashMap<>();
      open.forEach(w -> workers.put(w.id(), w));
      // only the workers it is sent to: a draining worker's re-registration changes nothing here
      registrations.keySet().retainAll(workers.keySet());
      if (s != null
          && s.view.placement().workers().equals(placement.workers())
          && s.view.workers().equals(workers)
          && s.registrations.equals(registrations)) {
        states.put(key, new State(s.view, epoch, s.registrations));
        return s.view;
      }
      DeploymentView view = new DeploymentView(key, wf, binding, placement, workers);
      deploy(view);
      states.put(key, new State(view, epoch, registrations));
      return view;
    }
  }

  /** A deployment key already hashed for this registration and binding. */
  private record Keyed(long registeredAtMillis, Binding binding, WorkflowKey key) {}

  private final Map<WorkflowKey, Keyed> keys = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The deployment key of {@code wf} with {@code binding}; hashing the definition text once per
   * registration and binding, not per instance (a trace's text is megabytes).
   */
  private WorkflowKey keyOf(RegisteredWorkflow wf, Binding binding) {
    Keyed k = keys.get(wf.key());
    if (k != null
        && k.registeredAtMillis() == wf.registeredAtMillis()
        && k.binding().equals(binding)) {
      return k.key();
    }
    WorkflowKey key = DeploymentKeys.of(wf, binding);
    keys.put(wf.key(), new Keyed(wf.registeredAtMillis(), binding, key));
    return key;
  }

  private void deploy(DeploymentView v) {
    DeploySubgraphRequest request = request(v, v.workers().values());
    Map<WorkerInfo, ListenableFuture<?>> calls = new LinkedHashMap<>();
    for (WorkerInfo w : v.workers().values()) {
      // a worker that restarted on its address may find its channel waiting out a reconnect backoff
      clients.reconnectNow(w);
      calls.put(w, clients.future(w, DEPLOY_DEADLINE).deploySubgraph(request));
    }
    List<String> failures = new ArrayList<>();
    calls.forEach(
        (w, f) -> {
          try {
            f.get(DEPLOY_DEADLINE.toMillis() + 1000, TimeUnit.MILLISECONDS);
          } catch (ExecutionException e) {
            failures.add(w.describe() + ": " + e.getCause().getMessage());
          } catch (TimeoutException e) {
            failures.add(w.describe() + ": no answer within " + DEPLOY_DEADLINE.toSeconds() + " s");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(w.describe() + ": interrupted");
          }
        });
    if (!failures.isEmpty()) {
      throw Status.UNAVAILABLE
          .withDescription("deploying " + v.key() + " failed on " + String.join("; ", failures))
          .asRuntimeException();
    }
  }

  /**
   * The DeploySubgraph request of deployment {@code v} naming {@code peers} (id and address) as the
   * workers its parts talk to; also sent on its own to a worker that takes over a part of a dead
   * one and does not hold the deployment (it restarted, or joined after the deployment).
   */
  public static DeploySubgraphRequest request(
      DeploymentView v, java.util.Collection<WorkerInfo> peers) {
    RegisteredWorkflow wf = v.workflow();
    WorkflowRef ref =
        WorkflowRef.newBuilder().setName(v.key().name()).setVersion(v.key().version()).build();
    DeploySubgraphRequest.Builder b =
        DeploySubgraphRequest.newBuilder()
            .setWorkflow(ref)
            .setTrusted(wf.trusted())
            .setSource(
                WorkflowSource.newBuilder()
                    .setDefinitionText(wf.sourceText())
                    .setFileName(wf.fileName())
                    .setFormatHint(wf.formatHint()))
            .setFunctionRegistryText(wf.registryText())
            .setFunctionRegistryFileName(wf.registryFileName())
            .setPlacement(PlacementWire.toProto(v.placement(), ref))
            .setOptions(
                RunOptions.newBuilder()
                    .setSynthetic(v.binding().synthetic())
                    .setTimeScale(v.binding().timeScale())
                    .setDataScale(v.binding().dataScale()));
    for (io.sluice.model.sw.SwWorkflows.Source s : wf.subworkflows()) {
      b.addSubworkflows(
          WorkflowSource.newBuilder().setDefinitionText(s.text()).setFileName(s.fileName()));
    }
    peers.forEach(
        w -> b.addPeers(PeerAddress.newBuilder().setWorkerId(w.id()).setAddress(w.address())));
    return b.build();
  }
}
