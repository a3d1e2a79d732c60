package io.sluice.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What every kind of node may carry besides its own semantics.
 *
 * @param input jq mapping applied to the node's default input (null = identity)
 * @param output jq mapping applied to the node's result (null = identity); {@code $input} is the
 *     mapped input
 * @param retry how failures are retried
 * @param catchers where failures go after the retries
 * @param timeout how long one attempt may take (null = no limit)
 * @param join how many incoming edges must carry a result before the node fires
 * @param hints what the scheduler may assume about the node
 * @param location where the node was defined
 */
public record NodeOptions(
    Expr input,
    Expr output,
    RetryPolicy retry,
    List<Catcher> catchers,
    Duration timeout,
    Join join,
    Hints hints,
    Location location) {

  public static final NodeOptions DEFAULT =
      new NodeOptions(null, null, RetryPolicy.NONE, List.of(), null, Join.ALL, Hints.NONE, null);

  public NodeOptions {
    retry = retry == null ? RetryPolicy.NONE : retry;
    catchers = catchers == null ? List.of() : List.copyOf(catchers);
    join = join == null ? Join.ALL : join;
    hints = hints == null ? Hints.NONE : hints;
    location = location == null ? Location.UNKNOWN : location;
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  public NodeOptions withInput(Expr e) {
    return new NodeOptions(e, output, retry, catchers, timeout, join, hints, location);
  }

  public NodeOptions withOutput(Expr e) {
    return new NodeOptions(input, e, retry, catchers, timeout, join, hints, location);
  }

  public NodeOptions withRetry(RetryPolicy r) {
    return new NodeOptions(input, output, r, catchers, timeout, join, hints, location);
  }

  public NodeOptions withCatchers(List<Catcher> c) {
    return new NodeOptions(input, output, retry, c, timeout, join, hints, location);
  }

  public NodeOptions withTimeout(Duration t) {
    return new NodeOptions(input, output, retry, catchers, t, join, hints, location);
  }

  public NodeOptions withJoin(Join j) {
    return new NodeOptions(input, output, retry, catchers, timeout, j, hints, location);
  }

  public NodeOptions withHints(Hints h) {
    return new NodeOptions(input, output, retry, catchers, timeout, join, h, location);
  }

  public NodeOptions withLocation(Location l) {
    return new NodeOptions(input, output, retry, catchers, timeout, join, hints, l);
  }

  /** Equality ignores where the node was written, so a DSL graph equals its YAML twin. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions n
        && Objects.equals(input, n.input)
        && Objects.equals(output, n.output)
        && retry.equals(n.retry)
        && catchersEqual(catchers, n.catchers)
        && Objects.equals(timeout, n.timeout)
        && join.equals(n.join)
        && hints.equals(n.hints);
  }

  private static boolean catchersEqual(List<Catcher> a, List<Catcher> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).errors().equals(b.get(i).errors()) || !a.get(i).next().equals(b.get(i).next())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, output, retry, timeout, join, hints, catchers.size());
  }
}
