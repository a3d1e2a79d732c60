package io.sluice.model;

import java.util.Objects;

/**
 * A control-flow edge. {@link Kind#NEXT} edges carry a node's result when it succeeds, {@link
 * Kind#BRANCH} edges leave a switch (only the chosen one carries a result, the others are
 * skipped), {@link Kind#CATCH} edges carry a node's error to its catcher.
 */
public record Edge(String from, String to, Kind kind) {
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
  }

  public static Edge next(String from, String to) {
    return new Edge(from, to, Kind.NEXT);
  }
}
