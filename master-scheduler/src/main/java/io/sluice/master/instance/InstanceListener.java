package io.sluice.master.instance;

import io.sluice.cluster.api.WorkflowKey;

/**
 * Hears instances start and end on the master (its {@code /metrics}: {@code MasterMetrics}). Called
 * on the thread that started or ended the instance; must not block or throw.
 */
public interface InstanceListener {
  InstanceListener NONE = new InstanceListener() {};

  /**
   * An instance of {@code workflow} started; {@code resumed} when a restarted master took it up
   * from the journal rather than a client starting it.
   */
  default void started(WorkflowKey workflow, boolean resumed) {}

  /** An instance ended with {@code report} (null if it ended without one). */
  default void ended(WorkflowKey workflow, InstanceReport report) {}
}
