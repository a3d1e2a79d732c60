package io.sluice.master;

/** Who schedules the hops of an instance (DESIGN.md §3). Chosen per instance. */
public enum ExecutionMode {
  /** WorkerSP: workers trigger their own nodes and notify each other directly. */
  WORKER,
  /** MasterSP: the master holds the instance and dispatches every function to a worker. */
  MASTER
}
