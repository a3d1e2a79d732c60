package io.sluice.model;

/**
 * How many of a node's incoming edges must carry a result before it fires. {@code quorum == 0}
 * means all of the edges that can still fire (edges skipped by an upstream switch do not count);
 * {@code quorum == n} fires on the first n results.
 */
public record Join(int quorum) {
  public static final Join ALL = new Join(0);
  public static final Join ANY = new Join(1);

  public Join {
    if (quorum < 0) {
      throw new IllegalArgumentException("join quorum must be >= 0, got " + quorum);
    }
  }

  public boolean isAll() {
    return quorum == 0;
  }
}
