package io.sluice.runtime;

/**
 * What a runtime holds: busy function slots and memory granted to and used by running functions
 * (FaaStore sizes its budget from granted minus used).
 */
public record Footprint(int busySlots, long grantedMemoryBytes, long usedMemoryBytes) {
  public static final Footprint NONE = new Footprint(0, 0, 0);
}
