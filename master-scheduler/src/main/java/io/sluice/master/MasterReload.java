package io.sluice.master;

import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.InstanceRecord;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.Recorded;
import io.sluice.master.deploy.DeploymentKeys;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.instance.Instances;
import io.sluice.master.instance.WorkerSpRun;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.Placement;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.master.rpc.MasterWire;
import io.sluice.proto.JournalRegistration;
import io.sluice.proto.RunOptions;
import io.sluice.proto.WorkflowSource;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a durable master keeps in the journal about itself, and reads back when it starts
 * (docs/durability.md): the registered workflows (retired or not), and the instances that were
 * running — it takes each up again (status, watch and its end work as before), and moves the parts
 * of workers that do not register again within the longest heartbeat silence.
 */
final class MasterReload {
  private static final Logger LOG = LoggerFactory.getLogger(MasterReload.class);
  private static final long READ_SECONDS = 60;

  private MasterReload() {}

  /** Records a registration; answers a warning when it could not be. */
  static Optional<String> persist(
      Journal journal,
      WorkflowKey key,
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      boolean retired,
      boolean trusted) {
    if (!journal.enabled()) {
      return Optional.empty();
    }
    JournalRegistration req =
        JournalRegistration.newBuilder()
            .setRetired(retired)
            .setTrusted(trusted)
            .setSource(
                WorkflowSource.newBuilder()
                    .setFileName(nz(fileName))
                    .setDefinitionText(nz(text))
                    .setFormatHint(nz(formatHint)))
            .setFunctionRegistryText(nz(registryText))
            .setFunctionRegistryFileName(nz(registryFileName))
            .build();
    try {
      journal
          .workflowRegistered(key.name() + "@" + key.version(), req.toByteArray())
          .toCompletableFuture()
          .get(READ_SECONDS, TimeUnit.SECONDS);
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of(
          "durability: the registration is not recorded in "
              + journal.describe()
              + " ("
              + e.getMessage()
              + "); a restarted master will not know "
              + key
              + (retired ? " is retired" : ""));
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static void reload(
      Journal journal,
      WorkflowRegistry registry,
      io.sluice.runtime.security.FunctionAllowList allow,
      Instances instances,
      Membership membership,
      Scheduler scheduler,
      Duration grace) {
    List<byte[]> regs;
    List<InstanceRecord> running;
    try {
      regs = journal.workflows().toCompletableFuture().get(READ_SECONDS, TimeUnit.SECONDS);
      running = journal.running().toCompletableFuture().get(READ_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "durability: cannot read the journal in " + journal.describe() + ": " + e.getMessage(),
          e);
    }
    for (byte[] bytes : regs) {
      try {
        JournalRegistration r = JournalRegistration.parseFrom(bytes);
        var registered =
            registry.register(
                r.getSource().getFileName(),
                r.getSource().getDefinitionText(),
                r.getSource().getFormatHint(),
                r.getFunctionRegistryText(),
                r.getFunctionRegistryFileName(),
                scheduler.currentTimeMillis(),
                g -> {},
                r.getTrusted(),
                allow);
        if (r.getRetired()) {
          registry.retire(registered.workflow().key(), true);
        }
      } catch (Exception e) {
        LOG.error("durability: a recorded workflow registration is unreadable: {}", e.toString());
      }
    }
    List<WorkerSpRun> resumed = new ArrayList<>();
    Map<WorkerSpRun, Recorded> records = new java.util.HashMap<>();
    for (InstanceRecord rec : running) {
      try {
        Recorded recorded = load(journal, rec.instanceId());
        WorkerSpRun run = resume(registry, instances, rec, recorded);
        resumed.add(run);
        records.put(run, recorded);
      } catch (Exception e) {
        LOG.error(
            "durability: instance {} of {} cannot be taken up again: {}",
            rec.instanceId(),
            rec.workflow(),
            e.getMessage());
      }
    }
    LOG.info(
        "durability: read {} workflow registrations and {} running instances from {}",
        regs.size(),
        resumed.size(),
        journal.describe());
    if (resumed.isEmpty()) {
      return;
    }
    // Workers that ran parts register again within a heartbeat silence; the parts of those that do
    // not move to the live workers, as if they had been declared dead.
    scheduler.schedule(
        grace,
        () -> {
          for (WorkerSpRun run : resumed) {
            if (run.finished()) {
              continue;
            }
            run.startIfNothingRan(records.get(run));
            for (String h : run.currentHolders()) {
              if (!membership.alive(h)) {
                List<WorkerInfo> live = membership.placeable();
                run.workerDied(
                    h, live, "worker " + h + " did not register again after the master restarted");
              }
            }
          }
        });
  }

  private static Recorded load(Journal journal, String id) throws Exception {
    return journal
        .load(id)
        .toCompletableFuture()
        .get(READ_SECONDS, TimeUnit.SECONDS)
        .orElseThrow(() -> new IllegalStateException("its journal entry expired"));
  }

  private static WorkerSpRun resume(
      WorkflowRegistry registry, Instances instances, InstanceRecord rec, Recorded recorded)
      throws Exception {
    return instances.resume(view(registry, rec), rec, recorded);
  }

  /** The deployment view of a recorded instance: its workflow, run options and placement. */
  static DeploymentView view(WorkflowRegistry registry, InstanceRecord rec)
      throws com.google.protobuf.InvalidProtocolBufferException {
    RegisteredWorkflow wf =
        registry
            .find(DeploymentKeys.registered(rec.workflow()))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "its workflow " + rec.workflow() + " is not registered"));
    Binding b = Binding.defaults();
    if (rec.options().length > 0) {
      Binding o = MasterWire.binding(true, RunOptions.parseFrom(rec.options()));
      b = new Binding(wf.registry().functions(), o.synthetic(), o.timeScale(), o.dataScale());
    } else {
      b = new Binding(wf.registry().functions(), b.synthetic(), b.timeScale(), b.dataScale());
    }
    Placement placement = Placement.of("journal", wf.graph(), rec.placement(), Map.of());
    return new DeploymentView(rec.workflow(), wf, b, placement, Map.of());
  }
}
