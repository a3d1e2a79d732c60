package io.sluice.model;

import java.util.Objects;

/**
 * A jq expression as written in a definition. It is kept as text in the graph (so a graph with a
 * bad expression can still be built and every problem reported at once by the validator); {@link
 * io.sluice.model.expr.JqEvaluator} compiles and caches it.
 */
public record Expr(String source, Location location) {
  public Expr {
    Objects.requireNonNull(source, "expression source");
    location = location == null ? Location.UNKNOWN : location;
  }

  public static Expr of(String source) {
    return new Expr(source, Location.UNKNOWN);
  }

  /** Two expressions are equal when their text is; where they were written does not matter. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Expr e && e.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
