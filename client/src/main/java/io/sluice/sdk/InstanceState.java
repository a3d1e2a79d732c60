package io.sluice.sdk;

/** Where an instance is in its life. */
public enum InstanceState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** A state this client does not know (a newer master). */
  UNKNOWN;

  /** Whether the instance has ended (no update follows). */
  public boolean ended() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
