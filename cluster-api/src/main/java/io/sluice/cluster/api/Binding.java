package io.sluice.cluster.api;

import io.sluice.model.FunctionDef;
import java.util.Map;

/**
 * How a deployment binds its functions: a registry (overriding the workflow's own declarations),
 * whether undeclared functions are synthetic, and the synthetic runtime's time and data scales.
 * Instances run with different scales are different deployments.
 */
public record Binding(
    Map<String, FunctionDef> registry, boolean synthetic, double timeScale, double dataScale) {
  public Binding {
    registry = registry == null ? Map.of() : Map.copyOf(registry);
    if (timeScale < 0 || dataScale < 0) {
      throw new IllegalArgumentException("time and data scale must not be negative");
    }
  }

  public static Binding defaults() {
    return new Binding(Map.of(), false, 1, 0);
  }
}
