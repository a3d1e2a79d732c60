package io.sluice.master;

/** Who schedules the hops of an instance (docs/design.md, Scheduling). Chosen per instance. */
public enum ExecutionMode {
  /** WorkerSP: workers trigger their own nodes and notify each other directly. */
  WORKER,
  /** MasterSP: the master holds the instance and dispatches every function to a worker. */
  MASTER
}
