package io.sluice.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * Binds a function name to a runtime ({@code java}, {@code process}, {@code synthetic}, ...) and
 * that runtime's settings. Declared in a workflow file's {@code functions} section or in a function
 * registry file; a registry entry overrides the workflow's own.
 */
public record FunctionDef(String name, String runtime, JsonNode settings, Location location) {
  public FunctionDef {
    Objects.requireNonNull(name, "function name");
    Objects.requireNonNull(runtime, "runtime of function " + name);
    settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
    location = location == null ? Location.UNKNOWN : location;
  }

  /**
   * Equality ignores where the function was declared, and compares numbers in the settings by value
   * ({@code 5} read from YAML equals {@code 5} built in Java, whatever their node types).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionDef f
        && name.equals(f.name)
        && runtime.equals(f.runtime)
        && settings.equals(NUMBERS_BY_VALUE, f.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, runtime);
  }

  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };
}
