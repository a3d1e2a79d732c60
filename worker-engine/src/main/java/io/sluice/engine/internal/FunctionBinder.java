package io.sluice.engine.internal;

import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import java.util.List;
import java.util.Map;

/**
 * Resolves a function name: the registry first, then the declarations of the workflow and of the
 * workflows around it (innermost first), then the synthetic runtime if allowed.
 */
final class FunctionBinder {
  private final Map<String, FunctionDef> registry;
  private final boolean syntheticFallback;

  FunctionBinder(Map<String, FunctionDef> registry, boolean syntheticFallback) {
    this.registry = registry;
    this.syntheticFallback = syntheticFallback;
  }

  /** The binding, or null if the function is declared nowhere. */
  FunctionDef resolve(String name, List<Map<String, FunctionDef>> scopes) {
    FunctionDef f = registry.get(name);
    if (f != null) {
      return f;
    }
    for (int i = scopes.size() - 1; i >= 0; i--) {
      f = scopes.get(i).get(name);
      if (f != null) {
        return f;
      }
    }
    return syntheticFallback ? new FunctionDef(name, "synthetic", null, Location.UNKNOWN) : null;
  }
}
