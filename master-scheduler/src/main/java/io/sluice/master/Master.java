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
import io.sluice.engine.events.EventOutcome;
import io.sluice.engine.events.EventWaitChange;
import io.sluice.master.deploy.DeploymentKeys;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.deploy.Deployments;
import io.sluice.master.events.EventDelivery;
import io.sluice.master.events.EventRouting;
import io.sluice.master.events.EventTarget;
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
import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.time.Scheduler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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
  private final io.sluice.cluster.tls.TlsContexts tls;
  private final io.sluice.master.limits.Admission admission;
  private final Scheduler scheduler;
  private final Membership membership;
  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final WorkerClients clients;
  private final Deployments deployments;
  private final Instances instances;
  private final EventRouting events;
  private final Drains drains;
  private final io.sluice.master.progress.ProgressStore progress;
  private final io.sluice.master.progress.InstanceViews views;
  private final Redrives redrives;
  private final io.sluice.master.schedule.Schedules schedules;
  private final Registrations registrations;

  public Master(MasterOptions options, Scheduler scheduler) {
    this(options, scheduler, AddressRouter.DIRECT);
  }

  /** A master whose channels to workers are dialled where {@code links} routes them. */
  public Master(MasterOptions options, Scheduler scheduler, AddressRouter links) {
    this(options, scheduler, links, io.sluice.cluster.tls.TlsContexts.PLAINTEXT);
  }

  /**
   * As above, its channels to workers with {@code tls}'s credentials (mutual TLS when the cluster
   * has {@code security.tls}); its server is {@link MasterServer}'s, given the same.
   */
  public Master(
      MasterOptions options,
      Scheduler scheduler,
      AddressRouter links,
      io.sluice.cluster.tls.TlsContexts tls) {
    this.options = options;
    this.tls = tls;
    this.admission = new io.sluice.master.limits.Admission(options.limits());
    this.clients = new WorkerClients(links, tls);
    this.scheduler = scheduler;
    this.membership = new Membership(scheduler, options.heartbeat());
    this.deployments =
        new Deployments(membership, options.partitioner(), options.partitionOptions(), clients);
    this.events =
        new EventRouting(
            options.events(),
            scheduler,
            workerId -> membership.find(workerId).map(this::eventTarget).orElse(null),
            this::instanceRunning);
    this.progress =
        new io.sluice.master.progress.ProgressStore(
            scheduler::currentTimeMillis, io.sluice.master.progress.ProgressLimits.DEFAULT);
    this.instances =
        new Instances(
            scheduler,
            clients,
            options.retainFinished(),
            options.masterThreads(),
            options.limits().heldEventsPerInstance(),
            events,
            progress);
    this.drains = new Drains(membership, deployments, instances);
    this.views =
        new io.sluice.master.progress.InstanceViews(
            instances, progress, clients, id -> membership.find(id).orElse(null));
    this.redrives = new Redrives(instances, registry, this::recordedStatus);
    this.schedules = new io.sluice.master.schedule.Schedules(scheduler, new ScheduledStarts());
    this.registrations =
        new Registrations(
            registry,
            admission,
            scheduler,
            events,
            instances,
            schedules,
            membership,
            deployments,
            options.partitioner());
    events.startsOn(schedules.asTrigger());
    membership.addListener(instances::workerLost);
    membership.addListener(
        (w, reason) -> {
          events.targetGone(w.id());
          return 0; // the instances are counted by instances::workerLost
        });
  }

  /** How the schedules start instances: as a client would, started by "schedule". */
  private final class ScheduledStarts implements io.sluice.master.schedule.ScheduleStarter {
    @Override
    public InstanceRun start(WorkflowKey key, JsonNode input) {
      return invoke(key, input, ExecutionMode.WORKER, null, null, PRINCIPAL);
    }

    @Override
    public List<InstanceRun> running(WorkflowKey key) {
      return instances.running().stream()
          .filter(r -> PRINCIPAL.equals(r.startedBy()) && r.view().workflow().key().equals(key))
          .toList();
    }
  }

  /** The schedules armed now (docs/architecture.md, "Schedules"). */
  public io.sluice.master.schedule.Schedules schedules() {
    return schedules;
  }

  private boolean instanceRunning(String id) {
    return instances.running(id);
  }

  private EventTarget eventTarget(WorkerInfo w) {
    return event -> EventDelivery.offer(clients, w, event);
  }

  /** Instances' node tables and histories (docs/architecture.md, "Progress"). */
  public io.sluice.master.progress.ProgressStore progress() {
    return progress;
  }

  /** The queries over instances and their progress: list, status, history, logs. */
  public io.sluice.master.progress.InstanceViews views() {
    return views;
  }

  /** The routing of events that name no instance: its index, held events and counters. */
  public EventRouting events() {
    return events;
  }

  /** Event waits that started or ended on a worker, in order (ClusterService.ReportEventWaits). */
  public void eventWaitsChanged(String workerId, List<EventWaitChange> changes) {
    events.waitsChanged(workerId, changes, true);
  }

  public MasterOptions options() {
    return options;
  }

  /** The master's TLS credentials ({@link io.sluice.cluster.tls.TlsContexts#PLAINTEXT}: none). */
  public io.sluice.cluster.tls.TlsContexts tls() {
    return tls;
  }

  /** The checks of what clients send against the cluster's {@code limits:}. */
  public io.sluice.master.limits.Admission admission() {
    return admission;
  }

  public Membership membership() {
    return membership;
  }

  /** Who hears instances start and end (the master's metrics). */
  public void instanceListener(io.sluice.master.instance.InstanceListener l) {
    instances.listen(l);
  }

  /** Instances running now. */
  public int runningInstances() {
    return instances.running().size();
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

  /**
   * A worker's part of an instance ended; its report took {@code wireBytes} on the wire and came
   * from {@code reportedBy} (the part's worker, or the one that took the part over when it died;
   * empty = the part's worker).
   */
  public void instanceFinished(PartResult part, int wireBytes, String reportedBy) {
    instances.partFinished(
        part, wireBytes, reportedBy == null || reportedBy.isEmpty() ? part.workerId() : reportedBy);
  }

  /**
   * Makes this master's WorkerSP instances durable (cluster config {@code durability: redis}): it
   * records each start in {@code journal} and moves the parts of workers that die to live ones. Set
   * before instances start.
   */
  public void journal(io.sluice.cluster.durable.Journal journal) {
    instances.durable(journal, membership::placeable, id -> membership.find(id).orElse(null));
    if (journal.enabled()) {
      MasterReload.reload(
          journal,
          registry,
          registrations.allow(),
          instances,
          membership,
          scheduler,
          // workers register again within a heartbeat of the master serving; the reload comes
          // before it serves, so allow twice the longest silence
          options.heartbeat().maxSilence().multipliedBy(2));
      registrations.syncSchedules();
    }
  }

  /**
   * What functions a workflow registered without the admin role may use ({@code security.allow};
   * {@link FunctionAllowList#ANY}, the default, for {@code security: none}). Set before serving.
   */
  public void allow(FunctionAllowList allow) {
    registrations.allow(allow);
  }

  /** Registers a workflow as a caller without the admin role ({@link #allow} applies). */
  public Registration registerWorkflow(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName) {
    return registerWorkflow(fileName, text, formatHint, registryText, registryFileName, false);
  }

  /** {@link Registrations#register}. */
  public Registration registerWorkflow(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      boolean trusted) {
    return registrations.register(
        fileName, text, formatHint, registryText, registryFileName, trusted);
  }

  public List<RegisteredWorkflow> workflows(String prefix) {
    return registry.list(prefix);
  }

  /** {@link WorkflowRegistry#list(String, boolean, boolean)}. */
  public List<RegisteredWorkflow> workflows(
      String prefix, boolean allVersions, boolean includeRetired) {
    return registry.list(prefix, allVersions, includeRetired);
  }

  /** Whether a registered version is retired (new instances refused). */
  public boolean retired(WorkflowKey key) {
    return registry.retired(key);
  }

  /** Instances of {@code key} not yet finished. */
  public int runningInstances(WorkflowKey key) {
    return (int)
        instances.running().stream().filter(r -> r.view().workflow().key().equals(key)).count();
  }

  /** {@link Registrations#retire}. */
  public boolean retire(WorkflowKey key, boolean on) {
    return registrations.retire(key, on);
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
    return invoke(workflow, input, mode, binding, instanceId, "");
  }

  /**
   * As {@link #invoke(WorkflowKey, JsonNode, ExecutionMode, Binding, String)}, started by {@code
   * principal} (a client token's or certificate's name; empty without authentication), which the
   * instance keeps: a {@code submit} caller reads only its own instances.
   */
  public InstanceRun invoke(
      WorkflowKey workflow,
      JsonNode input,
      ExecutionMode mode,
      Binding binding,
      String instanceId,
      String principal) {
    RegisteredWorkflow wf = registry.get(workflow);
    // a client's retried Invoke of an instance started before the retirement is still answered
    if (registry.retired(workflow) && instances.find(instanceId).isEmpty()) {
      throw new io.sluice.cluster.api.ClusterException(
          io.sluice.cluster.api.ClusterException.Reason.REFUSED,
          "workflow "
              + workflow
              + " is retired: new instances are refused (running ones finish); undo with sluice"
              + " retire "
              + workflow
              + " --undo");
    }
    if (admission.limitsInstances() && instances.find(instanceId).isEmpty()) {
      admission.instances(workflow.toString(), runningInstances(workflow));
    }
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
    io.sluice.cluster.durable.Journal journal = instances.journal();
    if (journal.enabled() && !journal.reachable()) {
      throw new io.sluice.cluster.api.ClusterException(
          io.sluice.cluster.api.ClusterException.Reason.UNAVAILABLE,
          "durability: "
              + journal.describe()
              + " is unreachable; new instances are refused until it answers (running ones wait"
              + " for it)");
    }
    DeploymentView view = deployments.ensure(wf, b);
    return instances.start(
        view, mode == null ? ExecutionMode.WORKER : mode, input, instanceId, principal);
  }

  /**
   * Drains the worker {@code workerId} or ends its draining ({@code on} false); see {@link Drains}.
   */
  public Drains.Report drain(String workerId, boolean on) {
    return drains.drain(workerId, on);
  }

  /** Runs a failed or cancelled instance again from its failed nodes; see {@link Redrives}. */
  public Redrives.Result redrive(String id) {
    return redrives.redrive(id);
  }

  public InstanceRun instance(String id) {
    return instances.get(id);
  }

  /**
   * The final status a durable cluster's journal kept of an ended instance this master does not
   * know (it ended before this master started, within the durability retention).
   */
  public Optional<io.sluice.proto.InstanceStatus> recordedStatus(String id) {
    return instances.recordedStatus(id);
  }

  /**
   * Who started instance {@code id} (empty: nobody authenticated), or empty when this master does
   * not know it (nor its journal).
   */
  public Optional<String> startedBy(String id) {
    Optional<InstanceRun> run = instances.find(id);
    if (run.isPresent()) {
      return Optional.of(run.get().startedBy());
    }
    return recordedStatus(id).map(io.sluice.proto.InstanceStatus::getStartedBy);
  }

  /** Cancels a running instance; returns its state afterwards. */
  public InstanceState cancel(String id, String reason) {
    InstanceRun r = instances.get(id);
    String why = reason == null || reason.isBlank() ? "cancelled by a client" : reason;
    r.abort(InstanceState.CANCELLED, new InstanceError("-", "Cancelled", why), null);
    return r.report().state();
  }

  /**
   * Routes an external event (docs/architecture.md, Event routing): to {@code instanceId} if given
   * (an unknown id is {@link io.sluice.cluster.api.NotFoundException}), else to the instance the
   * event names (extension {@code sluiceinstance}, or a subject that is an instance's id), else to
   * the instances whose started event waits correlate with it, held for a wait that starts later
   * when none does ({@code onExpired}, if not null, hears of it if that never happens). The one
   * entry point of external events: gRPC {@code SendEvent}, {@code POST /events} ({@link
   * MasterEventSink}) and the stream sources. Never blocks the caller: a named instance's workers
   * and the workers offered the event complete the stage when they answer.
   */
  public CompletionStage<EventOutcome> routeEvent(
      CloudEvent event, String instanceId, Consumer<CloudEvent> onExpired) {
    String target = instanceId == null || instanceId.isBlank() ? null : instanceId;
    if (target != null) {
      instances.get(target); // NOT_FOUND for an unknown id, as before
    } else {
      Object ext = event.getExtension(EventDelivery.INSTANCE_EXTENSION);
      if (ext != null) {
        target = ext.toString();
      } else if (event.getSubject() != null && instances.find(event.getSubject()).isPresent()) {
        target = event.getSubject(); // the subject names an instance (kept for compatibility)
      }
    }
    if (target == null) {
      return events.route(event, onExpired).thenApply(o -> received(o, event));
    }
    return EventDelivery.toInstance(instances.find(target), target, event)
        .thenApply(events::count)
        .thenApply(o -> received(o, event));
  }

  /** Records {@code event.received} in the history of each instance that took the event. */
  private EventOutcome received(EventOutcome o, CloudEvent event) {
    for (String id : o.instances()) {
      progress.record(
          id, "event.received", null, null, event.getType() + " (id " + event.getId() + ")");
    }
    return o;
  }

  /**
   * {@link #routeEvent(CloudEvent, String, Consumer)} with no instance id and no expiry callback.
   */
  public CompletionStage<EventOutcome> routeEvent(CloudEvent event) {
    return routeEvent(event, null, null);
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
    admission.definitionText(text);
    WorkflowGraph g = registry.load(fileName, text, null);
    admission.nodes(g);
    Definitions.validate(g, n -> true);
    return deployments.place(null, g, partitionerNamed(partitioner));
  }

  private Partitioner partitionerNamed(String name) {
    return name == null || name.isBlank() ? options.partitioner() : Partitioner.named(name);
  }

  @Override
  public void close() {
    schedules.close();
    instances.close();
    clients.close();
    instances.journal().close();
  }
}
