package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.Definitions;
import io.sluice.engine.DeployedWorkflow;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.engine.events.EventHolding;
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.events.EventWaitListener;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Runs every instance in this JVM: instance actors on a small work-stealing pool. */
public final class EmbeddedEngine implements WorkflowEngine {
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private final EngineOptions options;
  private final ForkJoinPool pool;
  private final EngineContext ctx;
  private final TriggerCompiler compiler;
  private final ConcurrentHashMap<String, Instance> instances = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> finishedRoots = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedCount = new AtomicInteger();
  private final AtomicLong counter = new AtomicLong();
  private final String prefix;

  public EmbeddedEngine(EngineOptions options) {
    this(options, EventHolding.DEFAULT, null);
  }

  /**
   * An engine whose events that name no instance are held per {@code holding}; with a {@code
   * listener}, every event wait's start and end is reported to it (the router above this engine,
   * which then does the holding: pass {@link EventHolding#NONE}).
   */
  public EmbeddedEngine(EngineOptions options, EventHolding holding, EventWaitListener listener) {
    this.options = options;
    int engine = ENGINES.incrementAndGet();
    this.prefix =
        "i" + Long.toString(options.scheduler().currentTimeMillis() % 46_656L, 36) + engine;
    this.pool =
        new ForkJoinPool(
            options.threads(),
            p -> {
              ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
              t.setName("sluice-engine-" + engine + "-" + t.getPoolIndex());
              t.setDaemon(true);
              return t;
            },
            null,
            true);
    this.ctx = new EngineContext(options, pool, this);
    this.ctx.events = new EngineEvents(ctx, holding, listener);
    this.compiler =
        new TriggerCompiler(
            new FunctionBinder(options.registry(), options.syntheticFallback()),
            options.runtimes());
  }

  @Override
  public DeployedWorkflow deploy(WorkflowGraph graph) {
    Definitions.validate(
        graph, name -> options.syntheticFallback() || options.registry().containsKey(name));
    CompiledWorkflow wf = compiler.compile(graph);
    ctx.events.deployed(graph);
    return wf;
  }

  /** Validates and compiles with given runtimes and bindings instead of the engine's own. */
  CompiledWorkflow deploy(
      WorkflowGraph graph,
      io.sluice.runtime.FunctionRuntimes runtimes,
      java.util.Map<String, io.sluice.model.FunctionDef> registry,
      boolean synthetic) {
    Definitions.validate(graph, name -> synthetic || registry.containsKey(name));
    CompiledWorkflow wf =
        new TriggerCompiler(new FunctionBinder(registry, synthetic), runtimes).compile(graph);
    ctx.events.deployed(graph);
    return wf;
  }

  @Override
  public String start(DeployedWorkflow workflow, JsonNode input) {
    return start(workflow, input, prefix + "-" + counter.incrementAndGet());
  }

  @Override
  public String start(DeployedWorkflow workflow, JsonNode input, String id) {
    if (!(workflow instanceof CompiledWorkflow wf)) {
      throw new IllegalArgumentException("workflow was not deployed by this engine");
    }
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("an instance id must not be empty");
    }
    Instance inst =
        new Instance(id, wf, ctx, input, new RunStats(), null, -1, 0, 0, EmbeddedScope.INSTANCE);
    inst.preload(
        TriggerEvent.of(TriggerEvent.Kind.STARTED, -1, 0, null, ctx.scheduler.currentTimeMillis()));
    if (instances.putIfAbsent(id, inst) != null) {
      throw new IllegalStateException("instance " + id + " is already known to this engine");
    }
    inst.kick();
    return id;
  }

  /** Starts one worker's part of an instance under a given id (WorkerSP). */
  Instance startPart(String id, CompiledWorkflow wf, Partition part, JsonNode input) {
    Instance inst =
        new Instance(id, wf, ctx, input, new RunStats(), null, -1, 0, 0, new PartScope(part, wf));
    // STARTED is first in the mailbox before the instance is visible: a peer's edge event that
    // finds it at once (and may drain on its I/O thread) comes after it, never before
    inst.preload(
        TriggerEvent.of(TriggerEvent.Kind.STARTED, -1, 0, null, ctx.scheduler.currentTimeMillis()));
    if (instances.putIfAbsent(id, inst) != null) {
      throw new IllegalStateException("instance " + id + " already runs on this worker");
    }
    inst.kick();
    return inst;
  }

  Instance instance(String id) {
    return instances.get(id);
  }

  /** Drops an ended root instance, so that the id can start again (a redrive). */
  void forget(String id) {
    instances.computeIfPresent(
        id, (k, inst) -> inst.state() == InstanceState.RUNNING ? inst : null);
  }

  EngineContext context() {
    return ctx;
  }

  /** A child instance (map item, loop round, sub-workflow) started: reachable for events. */
  void started(Instance child) {
    instances.put(child.id, child);
  }

  /** An instance reached a terminal state. */
  void finished(Instance inst, InstanceStatus status) {
    if (inst.parent != null) {
      instances.remove(inst.id);
      return;
    }
    ctx.recovered.remove(inst.id);
    finishedRoots.add(inst.id);
    if (finishedCount.incrementAndGet() > options.retainFinished()) {
      String old = finishedRoots.poll();
      if (old != null) {
        Instance gone = instances.get(old);
        // a redriven instance runs again under the id: only an ended one is dropped
        if (gone != null && gone.state() != InstanceState.RUNNING) {
          instances.remove(old, gone);
        }
        finishedCount.decrementAndGet();
      }
    }
  }

  @Override
  public CompletableFuture<InstanceStatus> completion(String instanceId) {
    Instance inst = instances.get(instanceId);
    if (inst == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no instance " + instanceId));
    }
    return inst.done;
  }

  @Override
  public Optional<InstanceStatus> status(String instanceId) {
    Instance inst = instances.get(instanceId);
    return inst == null ? Optional.empty() : Optional.of(inst.status());
  }

  @Override
  public List<CloudEvent> history(String instanceId) {
    Instance inst = instances.get(instanceId);
    if (inst == null) {
      return List.of();
    }
    List<CloudEvent> out = new ArrayList<>();
    for (TriggerEvent e : inst.historySnapshot()) {
      out.add(CloudEvents.toCloudEvent(e, inst.id, inst.wf));
    }
    return out;
  }

  @Override
  public boolean cancel(String instanceId) {
    Instance inst = instances.get(instanceId);
    if (inst == null || inst.state() != InstanceState.RUNNING) {
      return false;
    }
    inst.post(
        TriggerEvent.of(TriggerEvent.Kind.CANCEL, -1, 0, null, ctx.scheduler.currentTimeMillis()));
    return true;
  }

  /**
   * Sends the events {@code emit} tasks make to {@code outlet} instead of this engine's routing.
   */
  void emitTo(EventEmitter.Outlet outlet) {
    ctx.emitter = outlet;
  }

  @Override
  public boolean deliver(CloudEvent event) {
    return route(event).accepted();
  }

  @Override
  public EventOutcome route(CloudEvent event) {
    return ctx.events.route(event, instances::get);
  }

  /** What this engine's event routing holds and counts, for metrics. */
  public io.sluice.engine.events.Correlator<?> correlator() {
    return ctx.events.correlator();
  }

  @Override
  public void close() {
    ctx.closing = true;
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
