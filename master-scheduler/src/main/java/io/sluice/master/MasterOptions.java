package io.sluice.master;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.config.LimitsConfig;
import io.sluice.engine.events.EventHolding;
import io.sluice.master.partition.PartitionOptions;
import io.sluice.master.partition.Partitioner;
import java.util.Objects;

/**
 * How a master runs.
 *
 * @param heartbeat how often workers heartbeat and how many they may miss
 * @param partitioner places workflows on workers
 * @param partitionOptions the cluster figures the partitioner weighs with
 * @param retainFinished finished instances kept for status queries
 * @param masterThreads threads of each MasterSP engine
 * @param events how events that name no instance and match no wait yet are held
 * @param limits what the master accepts from clients (the cluster's {@code limits:} section)
 */
public record MasterOptions(
    HeartbeatConfig heartbeat,
    Partitioner partitioner,
    PartitionOptions partitionOptions,
    int retainFinished,
    int masterThreads,
    EventHolding events,
    LimitsConfig limits) {
  public MasterOptions {
    limits = limits == null ? LimitsConfig.DEFAULT : limits;
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(partitioner, "partitioner");
    Objects.requireNonNull(partitionOptions, "partitionOptions");
    if (retainFinished < 1 || masterThreads < 1) {
      throw new IllegalArgumentException("retainFinished and masterThreads must be >= 1");
    }
  }

  /** Options with the default limits. */
  public MasterOptions(
      HeartbeatConfig heartbeat,
      Partitioner partitioner,
      PartitionOptions partitionOptions,
      int retainFinished,
      int masterThreads,
      EventHolding events) {
    this(
        heartbeat,
        partitioner,
        partitionOptions,
        retainFinished,
        masterThreads,
        events,
        LimitsConfig.DEFAULT);
  }

  public static MasterOptions defaults() {
    return new MasterOptions(
        HeartbeatConfig.DEFAULT,
        Partitioner.criticalPath(),
        PartitionOptions.DEFAULTS,
        10_000,
        2,
        EventHolding.DEFAULT);
  }

  /** The options a cluster file gives its master. */
  public static MasterOptions of(ClusterConfig c) {
    return defaults()
        .withHeartbeat(c.heartbeat())
        .withPartitioner(Partitioner.named(c.partitioner().configName()))
        .withEvents(
            new EventHolding(
                c.events().maxHeldPerType(), c.events().holdFor(), c.events().rememberIds()))
        .withLimits(c.limits());
  }

  public MasterOptions withHeartbeat(HeartbeatConfig h) {
    return new MasterOptions(
        h, partitioner, partitionOptions, retainFinished, masterThreads, events, limits);
  }

  public MasterOptions withPartitioner(Partitioner p) {
    return new MasterOptions(
        heartbeat, p, partitionOptions, retainFinished, masterThreads, events, limits);
  }

  public MasterOptions withEvents(EventHolding e) {
    return new MasterOptions(
        heartbeat, partitioner, partitionOptions, retainFinished, masterThreads, e, limits);
  }

  public MasterOptions withLimits(LimitsConfig l) {
    return new MasterOptions(
        heartbeat, partitioner, partitionOptions, retainFinished, masterThreads, events, l);
  }
}
