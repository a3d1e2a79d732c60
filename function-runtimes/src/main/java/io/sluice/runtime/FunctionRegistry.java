package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import io.sluice.model.format.SourceDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Functions by name, each bound to a runtime and its settings: what a function registry file
 * declares, so that workflows name functions and one workflow can call functions on several
 * platforms. Immutable.
 *
 * <pre>{@code
 * functions:
 *   resize: {runtime: process, command: ["python3", "resize.py"], timeout: 5s}
 *   hello:  {runtime: java, class: com.example.Hello}
 * }</pre>
 *
 * A function's settings are its entry without {@code runtime}.
 */
public final class FunctionRegistry {
  private static final FunctionRegistry EMPTY = new FunctionRegistry(Map.of());

  private final Map<String, FunctionDef> functions;

  private FunctionRegistry(Map<String, FunctionDef> functions) {
    this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  public static FunctionRegistry empty() {
    return EMPTY;
  }

  /** A registry of these functions; each key must be its function's name. */
  public static FunctionRegistry of(Map<String, FunctionDef> functions) {
    functions.forEach(
        (name, f) -> {
          if (!name.equals(f.name())) {
            throw new IllegalArgumentException(
                "function registered as '" + name + "' is named '" + f.name() + "'");
          }
        });
    return functions.isEmpty() ? EMPTY : new FunctionRegistry(functions);
  }

  /**
   * Reads a registry file (YAML or JSON); throws {@link DefinitionException} with every problem
   * found, each at its file and line.
   */
  public static FunctionRegistry load(Path file) {
    return read(SourceDocument.read(file));
  }

  /**
   * Reads a registry file and checks every function against the runtimes (known runtime kind, valid
   * settings); throws {@link DefinitionException} with every problem found.
   */
  public static FunctionRegistry load(Path file, FunctionRuntimes runtimes) {
    FunctionRegistry registry = load(file);
    runtimes.validate(registry.functions.values());
    return registry;
  }

  /** Builds a registry from a parsed document. */
  public static FunctionRegistry read(SourceDocument doc) {
    doc.requireUniqueKeys();
    List<Problem> problems = new ArrayList<>();
    Map<String, FunctionDef> functions = new LinkedHashMap<>();
    JsonNode root = doc.root();
    if (!root.isObject() || !root.has("functions")) {
      throw new DefinitionException(
          new Problem(
              doc.locate(root),
              null,
              "a function registry must be a map with a 'functions' section, e.g."
                  + " functions: {hello: {runtime: java, class: com.example.Hello}}"));
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("functions") && !key.equals("version")) {
        problems.add(
            new Problem(
                doc.locate(root, key),
                null,
                "unknown key '" + key + "' in a function registry (expected 'functions')"));
      }
    }
    JsonNode section = root.get("functions");
    if (!section.isObject()) {
      problems.add(
          new Problem(
              doc.locate(root, "functions"),
              null,
              "'functions' must map function names to their runtime and settings"));
    } else {
      for (Map.Entry<String, JsonNode> e : section.properties()) {
        readEntry(doc, section, e.getKey(), e.getValue(), functions, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return new FunctionRegistry(functions);
  }

  private static void readEntry(
      SourceDocument doc,
      JsonNode section,
      String name,
      JsonNode entry,
      Map<String, FunctionDef> functions,
      List<Problem> problems) {
    Location at = doc.locate(section, name);
    if (!entry.isObject()) {
      problems.add(
          new Problem(
              at,
              null,
              "function '"
                  + name
                  + "' must be a map with a 'runtime' and its settings, got "
                  + entry.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
      return;
    }
    JsonNode runtime = entry.get("runtime");
    if (runtime == null || !runtime.isTextual() || runtime.asText().isBlank()) {
      problems.add(
          new Problem(
              at,
              null,
              "function '"
                  + name
                  + "' needs a 'runtime' naming where it runs"
                  + " (java, process, synthetic...)"));
      return;
    }
    ObjectNode settings = ((ObjectNode) entry).deepCopy();
    settings.remove("runtime");
    functions.put(name, new FunctionDef(name, runtime.asText(), settings, at));
  }

  public Optional<FunctionDef> find(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  /** Every function, by name, in declaration order. */
  public Map<String, FunctionDef> functions() {
    return functions;
  }

  public int size() {
    return functions.size();
  }

  public boolean isEmpty() {
    return functions.isEmpty();
  }

  /**
   * This registry's functions over {@code other}'s: a function both declare is this registry's
   * (e.g. {@code registryFile.overriding(workflowFunctions)}).
   */
  public FunctionRegistry overriding(FunctionRegistry other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Map<String, FunctionDef> merged = new LinkedHashMap<>(other.functions);
    merged.putAll(functions);
    return new FunctionRegistry(merged);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionRegistry r && functions.equals(r.functions);
  }

  @Override
  public int hashCode() {
    return functions.hashCode();
  }

  @Override
  public String toString() {
    return "FunctionRegistry" + functions.keySet();
  }
}
