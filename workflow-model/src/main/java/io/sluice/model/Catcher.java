package io.sluice.model;

import java.util.List;
import java.util.Objects;

/**
 * Where a node's failure goes once its retries are spent: errors whose type is in {@code errors}
 * (empty = any) continue at node {@code next}, whose input is the error as {@code {error, cause,
 * node, input}}.
 */
public record Catcher(List<String> errors, String next, Location location) {
  public Catcher {
    errors = List.copyOf(errors);
    Objects.requireNonNull(next, "catch target");
    location = location == null ? Location.UNKNOWN : location;
  }

  public boolean catches(String errorType) {
    return errors.isEmpty() || errors.contains(errorType) || errors.contains("*");
  }
}
