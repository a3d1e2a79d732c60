package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.security.FunctionChecks;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.InstanceLog;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.engine.data.DataPlane;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.security.FunctionAllowList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link WorkerEngine} on top of the embedded engine's instance actors. */
public final class PartitionedEngine implements WorkerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionedEngine.class);

  private record Deployment(
      CompiledWorkflow wf, Partition partition, WorkflowGraph graph, Binding binding) {}

  private final String workerId;
  private final EventRouter router;
  private final EmbeddedEngine engine;
  private final Map<WorkflowKey, Deployment> deployments = new ConcurrentHashMap<>();

  /** The latest {@value #KEPT_PLACEMENTS} placements of each key, by placement id. */
  private final Map<WorkflowKey, Map<Long, Deployment>> placements = new ConcurrentHashMap<>();

  private static final int KEPT_PLACEMENTS = 16;
  private final ConcurrentHashMap<String, List<EdgeEvent>> early = new ConcurrentHashMap<>();
  private final Map<List<Double>, FunctionRuntimes> runtimesByScale;
  private final List<FunctionRuntime> extraRuntimes;
  private final EngineOptions options;
  private final boolean ownsRuntimes;

  /** Parts of dead workers this one took over, run by shadow engines. */
  private final AdoptedParts adopted = new AdoptedParts();

  /**
   * @param extraRuntimes runtime instances registered by the process (e.g. a {@code java} runtime
   *     holding functions), added to every deployment's runtimes
   */
  public PartitionedEngine(
      String workerId,
      EngineOptions options,
      EventRouter router,
      List<FunctionRuntime> extraRuntimes) {
    this(workerId, options, router, extraRuntimes, new ConcurrentHashMap<>(), true);
  }

  private PartitionedEngine(
      String workerId,
      EngineOptions options,
      EventRouter router,
      List<FunctionRuntime> extraRuntimes,
      Map<List<Double>, FunctionRuntimes> runtimesByScale,
      boolean ownsRuntimes) {
    this.workerId = workerId;
    this.options = options;
    this.extraRuntimes = List.copyOf(extraRuntimes);
    this.router = router;
    this.runtimesByScale = runtimesByScale;
    this.ownsRuntimes = ownsRuntimes;
    this.engine =
        new EmbeddedEngine(options, io.sluice.engine.events.EventHolding.NONE, router::eventWait);
    // emitted events go to the cluster's routing (the master) when the router reaches one
    engine.emitTo(
        event -> {
          java.util.concurrent.CompletionStage<io.sluice.engine.events.EventOutcome> routed =
              router.emit(event);
          return routed != null
              ? routed
              : java.util.concurrent.CompletableFuture.completedFuture(engine.route(event));
        });
  }

  @Override
  public io.sluice.runtime.Footprint footprint() {
    List<FunctionRuntimes> sets = new ArrayList<>(runtimesByScale.size() + 1);
    sets.add(options.runtimes());
    sets.addAll(runtimesByScale.values());
    return FunctionRuntimes.sum(sets);
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public Set<String> deploy(
      WorkflowKey key, WorkflowGraph graph, Map<String, String> placement, Binding binding) {
    return deploy(key, graph, placement, binding, false);
  }

  @Override
  public Set<String> deploy(
      WorkflowKey key,
      WorkflowGraph graph,
      Map<String, String> placement,
      Binding binding,
      boolean trusted) {
    FunctionAllowList allow = options.runtimes().options().allow();
    if (!trusted) {
      // defence in depth: the master checked the registration against the same section
      FunctionChecks.check(
          allow,
          graph,
          binding.registry().values(),
          "worker " + workerId + " refuses to deploy " + key + " (not registered by an admin)");
    }
    // untrusted deployments' runtimes check each http call's URL; trusted ones' do not
    boolean checked = !trusted && !allow.any();
    FunctionRuntimes runtimes =
        runtimesByScale.computeIfAbsent(
            List.of(binding.timeScale(), binding.dataScale(), checked ? 1.0 : 0.0),
            k -> {
              RuntimeOptions base =
                  checked
                      ? options.runtimes().options()
                      : options.runtimes().options().withAllow(FunctionAllowList.ANY);
              FunctionRuntimes r =
                  FunctionRuntimes.load(base.scaled(binding.timeScale(), binding.dataScale()));
              extraRuntimes.forEach(r::register);
              return r;
            });
    CompiledWorkflow wf = engine.deploy(graph, runtimes, binding.registry(), binding.synthetic());
    Partition p = new Partition(workerId, key, wf, placement, router);
    Deployment d = new Deployment(wf, p, graph, binding);
    deployments.put(key, d);
    Map<Long, Deployment> recent =
        placements.computeIfAbsent(
            key,
            k ->
                java.util.Collections.synchronizedMap(
                    new java.util.LinkedHashMap<>() {
                      @Override
                      protected boolean removeEldestEntry(Map.Entry<Long, Deployment> e) {
                        return size() > KEPT_PLACEMENTS;
                      }
                    }));
    recent.put(p.placementId, d);
    Set<String> local = new TreeSet<>();
    for (int k = 0; k < wf.size(); k++) {
      if (!p.remote[k]) {
        local.add(wf.triggers[k].nodeId);
      }
    }
    return local;
  }

  @Override
  public boolean deployed(WorkflowKey key) {
    return deployments.containsKey(key);
  }

  private Deployment deployment(WorkflowKey key) {
    Deployment d = deployments.get(key);
    if (d == null) {
      throw new io.sluice.engine.cluster.NotDeployedException(
          "workflow " + key + " is not deployed on worker " + workerId);
    }
    return d;
  }

  @Override
  public void start(String instanceId, WorkflowKey key, JsonNode input) {
    start(instanceId, key, input, 0);
  }

  @Override
  public void start(String instanceId, WorkflowKey key, JsonNode input, long placementId) {
    Deployment d = deployment(key);
    if (placementId != 0 && d.partition.placementId != placementId) {
      Map<Long, Deployment> recent = placements.get(key);
      Deployment exact = recent == null ? null : recent.get(placementId);
      if (exact == null) {
        throw new IllegalArgumentException(
            "placement "
                + placementId
                + " of "
                + key
                + " is not deployed on worker "
                + workerId
                + " (it keeps the latest "
                + KEPT_PLACEMENTS
                + ")");
      }
      d = exact;
    }
    Deployment part = d;
    early.compute(
        instanceId,
        (id, held) -> {
          Instance inst = engine.startPart(instanceId, part.wf, part.partition, input);
          return postHeld(inst, held);
        });
  }

  /**
   * Posts the held events whose target the instance's part holds; answers the others (for a part
   * this worker may yet adopt), or null when none is left.
   */
  private List<EdgeEvent> postHeld(Instance inst, List<EdgeEvent> held) {
    if (held == null) {
      return null;
    }
    List<EdgeEvent> rest = null;
    for (EdgeEvent e : held) {
      Integer to = inst.wf.indexOf.get(e.to());
      if (to != null && inst.scope.local(to)) {
        inst.post(edgeEvent(e));
      } else {
        if (rest == null) {
          rest = new ArrayList<>(2);
        }
        rest.add(e);
      }
    }
    return rest;
  }

  @Override
  public void adopt(
      String instanceId,
      WorkflowKey key,
      Map<String, String> placement,
      String deadWorker,
      io.sluice.cluster.durable.Recorded recorded) {
    if (deadWorker.equals(workerId)) {
      throw new IllegalArgumentException("worker " + workerId + " cannot adopt its own part");
    }
    if (recorded.start() == null) {
      throw new IllegalArgumentException(
          "instance " + instanceId + " has no start record in the journal: cannot adopt it");
    }
    Deployment d = deployment(key);
    PartitionedEngine shadow =
        adopted.shadow(
            deadWorker,
            w -> {
              PartitionedEngine e =
                  new PartitionedEngine(w, options, router, extraRuntimes, runtimesByScale, false);
              e.engine.context().data = engine.context().data;
              e.engine.context().journal = engine.context().journal;
              return e;
            });
    // The part's partition is built from the instance's own placement every time (cheap, and an
    // adoption is rare): a cache keyed by the placement's Map#hashCode once handed an instance
    // another placement's partition whose hash collided, and its edges went to the wrong worker.
    Deployment sd =
        new Deployment(
            d.wf, new Partition(deadWorker, key, d.wf, placement, router), d.graph, d.binding);
    if (shadow.engine.instance(instanceId) != null) {
      return; // adopted before (a repeated request)
    }
    AdoptedParts.Part a = new AdoptedParts.Part(deadWorker, shadow, sd.partition);
    if (!recorded.calls().isEmpty()) {
      shadow.engine.context().recovered.put(instanceId, recorded.calls());
    }
    Deployment part = sd;
    adopted.add(instanceId, a);
    early.compute(
        instanceId,
        (id, held) -> {
          Instance inst =
              shadow.engine.startPart(
                  instanceId, part.wf, part.partition, recorded.start().input());
          for (EdgeEvent e : recorded.edges()) {
            Integer to = part.wf.indexOf.get(e.to());
            if (to != null && !part.partition.remote[to]) {
              inst.post(shadow.edgeEvent(e));
            }
          }
          return postHeld(inst, held);
        });
    InstanceLog.info(
        LOG,
        instanceId,
        null,
        "instance {}: took over the part of dead worker {} ({} recorded calls, {} recorded edges)",
        instanceId,
        deadWorker,
        recorded.calls().size(),
        recorded.edges().size());
  }

  @Override
  public void dataPlane(DataPlane plane) {
    engine.context().data = plane;
  }

  @Override
  public Optional<String> workerOf(String instanceId, String nodeId) {
    Instance inst = engine.instance(instanceId);
    Partition part = inst == null ? null : inst.scope.partition();
    Integer k = part == null ? null : inst.wf.indexOf.get(nodeId);
    return k == null ? Optional.empty() : Optional.of(part.workerOf[k]);
  }

  @Override
  public Set<String> consumerWorkersOf(String instanceId, String nodeId) {
    Instance inst = engine.instance(instanceId);
    Partition part = inst == null ? null : inst.scope.partition();
    Integer k = part == null ? null : inst.wf.indexOf.get(nodeId);
    if (k == null) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (int e : inst.wf.triggers[k].outEdges) {
      out.add(part.workerOf[inst.wf.edgeTo[e]]);
    }
    return out;
  }

  @Override
  public void receive(EdgeEvent event) {
    Deployment d = deployment(event.workflow()); // not deployed here: refused now, before any fetch
    DataPlane data = engine.context().data;
    if (data.isReference(event.payload())) {
      // The value is in FaaStore (this worker's memory if it was pushed here, else a peer or
      // Redis): fetch it, then deliver the edge with the value (the fetch is data time on its
      // path).
      long t0 = engine.context().scheduler.nanoTime();
      data.resolve(event.instanceId(), event.payload())
          .whenComplete(
              (value, ex) -> {
                if (ex == null) {
                  deliverEdge(
                      d,
                      event.withPayload(value, engine.context().scheduler.nanoTime() - t0),
                      false);
                } else {
                  InstanceLog.error(
                      LOG,
                      event.instanceId(),
                      event.to(),
                      "instance {}: cannot fetch the value of edge {}",
                      event.instanceId(),
                      event.id(),
                      ex);
                  Instance inst = engine.instance(event.instanceId());
                  if (inst != null) {
                    Integer to = inst.wf.indexOf.get(event.to());
                    inst.post(
                        new TriggerEvent(
                            TriggerEvent.Kind.ABORT,
                            to == null ? 0 : to,
                            0,
                            0,
                            null,
                            Instance.errorOf(ex),
                            null,
                            engine.context().scheduler.currentTimeMillis()));
                  }
                }
              });
      return;
    }
    deliverEdge(d, event, true);
  }

  /**
   * Hands an edge event to its instance, or holds it until the instance starts here. {@code here}:
   * the caller's thread may drain the instance itself (a network thread delivering a peer's event;
   * see {@link Instance#postHere}).
   */
  private void deliverEdge(Deployment d, EdgeEvent event, boolean here) {
    CompiledWorkflow wf = d.wf;
    if (event.edge() < 0
        || event.edge() >= wf.edgeTo.length
        || !wf.triggers[wf.edgeFrom[event.edge()]].nodeId.equals(event.from())
        || !wf.triggers[wf.edgeTo[event.edge()]].nodeId.equals(event.to())) {
      throw new IllegalArgumentException(
          "edge event "
              + event.id()
              + " names edge "
              + event.edge()
              + " ("
              + event.from()
              + " -> "
              + event.to()
              + ") which is not that edge of "
              + event.workflow());
    }
    AdoptedParts.Part a = adopted.holding(event.instanceId(), event.to(), wf);
    if (a != null) {
      Instance inst = a.shadow().engine.instance(event.instanceId());
      if (inst != null) {
        inst.post(edgeEvent(event));
        return;
      }
    }
    Instance running = engine.instance(event.instanceId());
    if (running != null && running.scope.local(wf.edgeTo[event.edge()])) {
      if (here) {
        running.postHere(edgeEvent(event));
      } else {
        running.post(edgeEvent(event));
      }
      return;
    }
    early.compute(
        event.instanceId(),
        (id, held) -> {
          Instance inst = engine.instance(id);
          if (inst != null && inst.scope.local(wf.edgeTo[event.edge()])) {
            // it started meanwhile (never drain inside compute)
            inst.post(edgeEvent(event));
            return held;
          }
          AdoptedParts.Part late = adopted.holding(id, event.to(), wf);
          Instance adoptedInst = late == null ? null : late.shadow().engine.instance(id);
          if (adoptedInst != null) {
            adoptedInst.post(edgeEvent(event));
            return held;
          }
          List<EdgeEvent> list = held == null ? new ArrayList<>(2) : held;
          // the instance has not started here yet, or its target's part is not here yet (a part
          // this worker is about to take over): hold, never drop
          list.add(event);
          return list;
        });
  }

  private TriggerEvent edgeEvent(EdgeEvent e) {
    return new TriggerEvent(
        TriggerEvent.Kind.EDGE,
        e.edge(),
        0,
        0,
        e.payload(),
        null,
        null,
        engine.context().scheduler.currentTimeMillis(),
        e.pathComputeNanos(),
        e.pathDataNanos());
  }

  @Override
  public boolean cancel(String instanceId) {
    early.remove(instanceId);
    boolean cancelled = engine.cancel(instanceId);
    for (AdoptedParts.Part a : adopted.remove(instanceId)) {
      cancelled |= a.shadow().engine.cancel(instanceId);
      a.shadow().engine.context().recovered.remove(instanceId);
    }
    engine.context().data.release(instanceId);
    return cancelled;
  }

  @Override
  public java.util.concurrent.CompletionStage<Void> prepareRedrive(
      String instanceId, Map<String, io.sluice.cluster.durable.CallOutcome> kept) {
    if (!engine.context().journal.enabled()) {
      throw new IllegalStateException(
          "worker "
              + workerId
              + " has no journal (durability: none): it cannot redrive "
              + instanceId);
    }
    Instance old = engine.instance(instanceId);
    java.util.concurrent.CompletableFuture<?> ended =
        old == null || old.state() != io.sluice.cluster.api.InstanceState.RUNNING
            ? java.util.concurrent.CompletableFuture.completedFuture(null)
            : old.done;
    cancel(instanceId); // the old part and any parts adopted for it; frees their data
    return ended
        .handle((s, e) -> null)
        .thenRun(
            () -> {
              engine.forget(instanceId);
              Map<String, io.sluice.cluster.durable.CallOutcome> ok = new java.util.HashMap<>(kept);
              ok.values().removeIf(io.sluice.cluster.durable.CallOutcome::failed);
              if (!ok.isEmpty()) {
                engine.context().recovered.put(instanceId, ok);
              }
              LOG.info(
                  "instance {}: redrive prepared on worker {} ({} recorded outcomes kept)",
                  instanceId,
                  workerId,
                  ok.size());
            });
  }

  @Override
  public boolean deliver(CloudEvent event) {
    return route(event).accepted();
  }

  @Override
  public io.sluice.engine.events.EventOutcome route(CloudEvent event) {
    io.sluice.engine.events.EventOutcome out = engine.route(event);
    if (out.accepted()) {
      return out;
    }
    for (PartitionedEngine shadow : adopted.shadows()) {
      io.sluice.engine.events.EventOutcome o = shadow.engine.route(event);
      if (o.accepted()) {
        return o;
      }
    }
    return out;
  }

  @Override
  public Optional<InstanceStatus> status(String instanceId) {
    Optional<InstanceStatus> own = engine.status(instanceId);
    if (own.isPresent()) {
      return own;
    }
    AdoptedParts.Part part = adopted.first(instanceId);
    return part == null ? own : part.shadow().engine.status(instanceId);
  }

  @Override
  public List<CloudEvent> history(String instanceId) {
    return engine.history(instanceId);
  }

  @Override
  public CompletionStage<JsonNode> dispatch(
      WorkflowKey key,
      String instanceId,
      String nodeId,
      JsonNode input,
      int attempt,
      long deadlineNanos,
      io.sluice.runtime.CallKey callKey) {
    return MasterDispatch.dispatch(
        engine.context(),
        deployment(key).wf,
        key,
        instanceId,
        nodeId,
        input,
        attempt,
        deadlineNanos,
        callKey);
  }

  @Override
  public int activeInvocations() {
    int n = engine.context().activeCalls.get();
    for (PartitionedEngine shadow : adopted.shadows()) {
      n += shadow.activeInvocations();
    }
    return n;
  }

  @Override
  public void journal(io.sluice.cluster.durable.Journal journal) {
    engine.context().journal = journal;
  }

  @Override
  public int adoptedParts() {
    return adopted.count();
  }

  @Override
  public void close() {
    adopted.shadows().forEach(PartitionedEngine::close);
    engine.close();
    if (ownsRuntimes) {
      runtimesByScale.values().forEach(FunctionRuntimes::close);
    }
  }
}
