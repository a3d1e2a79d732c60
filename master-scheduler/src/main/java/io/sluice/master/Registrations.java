package io.sluice.master;

import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.deploy.Deployments;
import io.sluice.master.events.EventRouting;
import io.sluice.master.instance.Instances;
import io.sluice.master.membership.Membership;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.master.schedule.Schedules;
import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Workflow versions coming and going on the master: a registration (admission, the registry, the
 * event index, the journal of a durable master, the schedule, a first placement) and a retirement
 * or its undoing (recorded first, then the schedule moves to the latest active version).
 */
final class Registrations {
  private final WorkflowRegistry registry;
  private final io.sluice.master.limits.Admission admission;
  private final Scheduler scheduler;
  private final EventRouting events;
  private final Instances instances;
  private final Schedules schedules;
  private final Membership membership;
  private final Deployments deployments;
  private final Partitioner partitioner;
  private volatile FunctionAllowList allow = FunctionAllowList.ANY;

  Registrations(
      WorkflowRegistry registry,
      io.sluice.master.limits.Admission admission,
      Scheduler scheduler,
      EventRouting events,
      Instances instances,
      Schedules schedules,
      Membership membership,
      Deployments deployments,
      Partitioner partitioner) {
    this.registry = registry;
    this.admission = admission;
    this.scheduler = scheduler;
    this.events = events;
    this.instances = instances;
    this.schedules = schedules;
    this.membership = membership;
    this.deployments = deployments;
    this.partitioner = partitioner;
  }

  void allow(FunctionAllowList allow) {
    this.allow = allow == null ? FunctionAllowList.ANY : allow;
  }

  FunctionAllowList allow() {
    return allow;
  }

  /**
   * Registers a workflow; {@code trusted} when the caller has the admin role: its functions are not
   * checked against {@code security.allow} (here or on the workers). Throws PERMISSION_DENIED
   * naming each function that is not allowed otherwise.
   */
  Master.Registration register(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      boolean trusted) {
    admission.definitionText(text);
    WorkflowRegistry.Registration r =
        registry.register(
            fileName,
            text,
            formatHint,
            registryText,
            registryFileName,
            scheduler.currentTimeMillis(),
            admission::nodes,
            trusted,
            allow);
    events.workflowRegistered(r.workflow().graph());
    List<String> warnings = new ArrayList<>(r.warnings());
    MasterReload.persist(
            instances.journal(),
            r.workflow().key(),
            fileName,
            text,
            formatHint,
            registryText,
            registryFileName,
            registry.retired(r.workflow().key()),
            r.workflow().trusted())
        .ifPresent(warnings::add);
    syncSchedule(r.workflow().key().name());
    Placement placement = null;
    if (membership.live().isEmpty()) {
      warnings.add("no live workers yet: the placement is decided at the first invocation");
    } else if (membership.placeable().isEmpty()) {
      warnings.add(
          "every live worker is draining: the placement is decided at the first invocation");
    } else {
      placement = deployments.place(r.workflow(), r.workflow().graph(), partitioner);
    }
    return new Master.Registration(r.workflow(), warnings, placement);
  }

  /**
   * Retires a registered version ({@code on}; new instances refused, running ones finish) or takes
   * it back; a durable master records it so a restarted one keeps it. Throws {@link
   * io.sluice.cluster.api.ClusterException} (UNAVAILABLE) when it cannot be recorded.
   */
  boolean retire(WorkflowKey key, boolean on) {
    RegisteredWorkflow wf = registry.get(key);
    boolean was = registry.retired(key);
    registry.retire(key, on);
    Optional<String> unrecorded =
        MasterReload.persist(
            instances.journal(),
            key,
            wf.fileName(),
            wf.sourceText(),
            wf.formatHint(),
            wf.registryText(),
            wf.registryFileName(),
            on,
            wf.trusted());
    if (unrecorded.isPresent()) {
      registry.retire(key, was);
      throw new io.sluice.cluster.api.ClusterException(
          io.sluice.cluster.api.ClusterException.Reason.UNAVAILABLE, unrecorded.get());
    }
    syncSchedule(key.name());
    return on;
  }

  /** Arms every workflow's schedule again (a durable master that read its registrations back). */
  void syncSchedules() {
    registry.list("").stream().map(w -> w.key().name()).distinct().forEach(this::syncSchedule);
  }

  /** Arms the schedule of {@code name}'s latest version not retired; disarms the one before. */
  private void syncSchedule(String name) {
    schedules.sync(
        name,
        registry.list(name, false, false).stream()
            .filter(w -> w.key().name().equals(name))
            .findFirst());
  }
}
