package io.sluice.master;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.engine.Definitions;
import io.sluice.master.deploy.DeploymentKeys;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.deploy.Deployments;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.instance.Instances;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.HintRefiner;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The master (docs/design.md, The master): workers' membership, the workflow registry, deployments
 * with their placements, and the instances it answers for. The gRPC services are thin adapters over
 * this.
 */
public final class Master implements AutoCloseable {
  /** What a workflow registration did; {@code placement} is null when no worker is alive yet. */
  public record Registration(
      RegisteredWorkflow workflow, List<String> warnings, Placement placement) {}

  private final MasterOptions options;
  private final Scheduler scheduler;
  private final Membership membership;
  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final WorkerClients clients;
  private final Deployments deployments;
  private final Instances instances;

  public Master(MasterOptions options, Scheduler scheduler) {
    this(options, scheduler, AddressRouter.DIRECT);
  }

  /** A master whose channels to workers are dialled where {@code links} routes them. */
  public Master(MasterOptions options, Scheduler scheduler, AddressRouter links) {
    this.options = options;
    this.clients = new WorkerClients(links);
    this.scheduler = scheduler;
    this.membership = new Membership(scheduler, options.heartbeat());
    this.deployments =
        new Deployments(membership, options.partitioner(), options.partitionOptions(), clients);
    this.instances =
        new Instances(scheduler, clients, options.retainFinished(), options.masterThreads());
    membership.addListener(instances::workerLost);
  }

  public MasterOptions options() {
    return options;
  }

  public Membership membership() {
    return membership;
  }

  public void registerWorker(WorkerInfo w) {
    membership.register(w);
  }

  /** Takes a heartbeat; false when the worker must register (again). */
  public boolean heartbeat(WorkerCapacity capacity, int queueLength) {
    return membership.heartbeat(capacity, queueLength);
  }

  /** Takes a heartbeat with the worker's container and FaaStore memory. */
  public boolean heartbeat(
      WorkerCapacity capacity, int queueLength, io.sluice.master.membership.WorkerMemory memory) {
    return membership.heartbeat(capacity, queueLength, memory);
  }

  /** The hint refiner of the registered workflow a deployment key belongs to. */
  public Optional<HintRefiner> refiner(WorkflowKey deploymentKey) {
    return registry.find(DeploymentKeys.registered(deploymentKey)).map(RegisteredWorkflow::refiner);
  }

  public void instanceFinished(PartResult part) {
    instanceFinished(part, 0);
  }

  /** A worker's part of an instance ended; its report took {@code wireBytes} on the wire. */
  public void instanceFinished(PartResult part, int wireBytes) {
    instances.partFinished(part, wireBytes);
  }

  public Registration registerWorkflow(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName) {
    WorkflowRegistry.Registration r =
        registry.register(
            fileName,
            text,
            formatHint,
            registryText,
            registryFileName,
            scheduler.currentTimeMillis());
    List<String> warnings = new ArrayList<>(r.warnings());
    Placement placement = null;
    if (membership.live().isEmpty()) {
      warnings.add("no live workers yet: the placement is decided at the first invocation");
    } else {
      placement = deployments.place(r.workflow(), r.workflow().graph(), options.partitioner());
    }
    return new Registration(r.workflow(), warnings, placement);
  }

  public List<RegisteredWorkflow> workflows(String prefix) {
    return registry.list(prefix);
  }

  /**
   * Starts an instance. {@code binding} null = the registry's functions, no synthetic fallback,
   * time scale 1, data scale 0. Throws {@link io.sluice.model.DefinitionException} when a function
   * cannot be bound.
   */
  private final java.util.Set<List<Object>> validated =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public InstanceRun invoke(
      WorkflowKey workflow,
      JsonNode input,
      ExecutionMode mode,
      Binding binding,
      String instanceId) {
    RegisteredWorkflow wf = registry.get(workflow);
    Binding b = binding == null ? Binding.defaults() : binding;
    b = new Binding(wf.registry().functions(), b.synthetic(), b.timeScale(), b.dataScale());
    boolean synthetic = b.synthetic();
    // A registered version is checked once per synthetic flag, not per instance (on a 1,000-task
    // trace the check costs milliseconds). Only a version that passed is remembered.
    List<Object> checked = List.of(wf.key(), wf.registeredAtMillis(), synthetic);
    if (!validated.contains(checked)) {
      Definitions.validate(wf.graph(), n -> synthetic || wf.registry().find(n).isPresent());
      validated.add(checked);
    }
    DeploymentView view = deployments.ensure(wf, b);
    return instances.start(view, mode == null ? ExecutionMode.WORKER : mode, input, instanceId);
  }

  public InstanceRun instance(String id) {
    return instances.get(id);
  }

  /** Cancels a running instance; returns its state afterwards. */
  public InstanceState cancel(String id, String reason) {
    InstanceRun r = instances.get(id);
    String why = reason == null || reason.isBlank() ? "cancelled by a client" : reason;
    r.abort(InstanceState.CANCELLED, new InstanceError("-", "Cancelled", why), null);
    return r.report().state();
  }

  /**
   * Delivers an external event to one instance ({@code instanceId}, else the event's subject) or,
   * when neither names one, to every running instance; returns the ids that took it. Waits for the
   * workers' answers: callers on I/O threads use {@link #sendEventAsync}.
   *
   * @throws io.sluice.cluster.api.NotFoundException when the named instance is unknown
   */
  public List<String> sendEvent(CloudEvent event, String instanceId) {
    return sendEventAsync(event, instanceId).join();
  }

  /**
   * {@link #sendEvent} without blocking: the lookup happens now (an unknown named instance throws
   * at once), the deliveries complete later; the ids keep the order of {@link
   * io.sluice.master.instance.Instances#running()}.
   */
  public CompletableFuture<List<String>> sendEventAsync(CloudEvent event, String instanceId) {
    String target = instanceId == null || instanceId.isBlank() ? event.getSubject() : instanceId;
    if (target != null && !target.isBlank()) {
      InstanceRun r = instances.get(target);
      if (r.finished()) {
        return CompletableFuture.completedFuture(List.of());
      }
      return r.deliverAsync(event).thenApply(took -> took ? List.of(r.id()) : List.of());
    }
    List<InstanceRun> running = instances.running();
    List<CompletableFuture<Boolean>> calls = new ArrayList<>(running.size());
    for (InstanceRun r : running) {
      calls.add(r.deliverAsync(event));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<String> delivered = new ArrayList<>();
              for (int i = 0; i < running.size(); i++) {
                if (calls.get(i).join()) {
                  delivered.add(running.get(i).id());
                }
              }
              return delivered;
            });
  }

  /** Where a registered workflow's nodes run now, by the named partitioner (null = configured). */
  public Placement placement(WorkflowKey workflow, String partitioner) {
    RegisteredWorkflow wf = registry.get(workflow);
    return deployments.place(wf, wf.graph(), partitionerNamed(partitioner));
  }

  /** Where an unregistered definition's nodes would run. */
  public Placement placement(String fileName, String text, String partitioner) {
    if (fileName == null || fileName.isBlank() || text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "source needs both file_name and definition_text to place a workflow");
    }
    WorkflowGraph g = new WorkflowLoader().load(fileName, text);
    Definitions.validate(g, n -> true);
    return deployments.place(null, g, partitionerNamed(partitioner));
  }

  private Partitioner partitionerNamed(String name) {
    return name == null || name.isBlank() ? options.partitioner() : Partitioner.named(name);
  }

  @Override
  public void close() {
    instances.close();
    clients.close();
  }
}
