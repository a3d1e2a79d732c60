package io.sluice.sdk;

/** Who schedules an instance's hops (docs/architecture.md). */
public enum Mode {
  /** The master's default (worker). */
  DEFAULT,
  /** WorkerSP: workers trigger each other directly. */
  WORKER,
  /** MasterSP: the master dispatches every function. */
  MASTER
}
