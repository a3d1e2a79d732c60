package io.sluice.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What the scheduler and the synthetic runtime may assume about a node before it runs: how long
 * its function computes, how many bytes it outputs, how much memory and how many cores it needs.
 * Zero means unknown.
 *
 * @param computeTime expected compute time of one invocation
 * @param outputBytes expected size of the node's output
 * @param memoryBytes memory one invocation needs
 * @param cores cores one invocation uses
 */
public record Hints(Duration computeTime, long outputBytes, long memoryBytes, double cores) {
  public static final Hints NONE = new Hints(Duration.ZERO, 0, 0, 0);

  public Hints {
    Objects.requireNonNull(computeTime, "computeTime");
    if (computeTime.isNegative()) {
      throw new IllegalArgumentException("computeTime must not be negative: " + computeTime);
    }
    if (outputBytes < 0 || memoryBytes < 0 || cores < 0) {
      throw new IllegalArgumentException(
          "hints must not be negative: outputBytes="
              + outputBytes
              + " memoryBytes="
              + memoryBytes
              + " cores="
              + cores);
    }
  }

  public Hints withComputeTime(Duration d) {
    return new Hints(d, outputBytes, memoryBytes, cores);
  }

  public Hints withOutputBytes(long b) {
    return new Hints(computeTime, b, memoryBytes, cores);
  }

  public Hints withMemoryBytes(long b) {
    return new Hints(computeTime, outputBytes, b, cores);
  }

  public Hints withCores(double c) {
    return new Hints(computeTime, outputBytes, memoryBytes, c);
  }
}
