package io.sluice.model;

import java.util.Objects;

/**
 * A control-flow edge. {@link Kind#NEXT} edges carry a node's result when it succeeds, {@link
 * Kind#BRANCH} edges leave a switch (only the chosen one carries a result, the others are
 * skipped), {@link Kind#CATCH} edges carry a node's error to its catcher. {@code bytes} is how
 * much data the edge is expected to carry (a scheduling hint; 0 = unknown, use the producer's
 * output-bytes hint).
 */
public record Edge(String from, String to, Kind kind, long bytes) {
  /** What an edge carries. */
  public enum Kind {
    NEXT,
    BRANCH,
    CATCH
  }

  public Edge {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(kind, "kind");
    if (bytes < 0) {
      throw new IllegalArgumentException("edge bytes must not be negative: " + bytes);
    }
  }

  public Edge(String from, String to, Kind kind) {
    this(from, to, kind, 0);
  }

  public static Edge next(String from, String to) {
    return new Edge(from, to, Kind.NEXT, 0);
  }
}
