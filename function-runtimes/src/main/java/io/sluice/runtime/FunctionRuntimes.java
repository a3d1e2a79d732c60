package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Problem;
import io.sluice.runtime.internal.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where a runtime kind is turned into a runtime: every {@link
 * FunctionRuntimeProvider} on the class path, created on first use and closed together.
 */
public final class FunctionRuntimes implements AutoCloseable {
  private final RuntimeOptions options;
  private final Map<String, FunctionRuntimeProvider> providers = new TreeMap<>();
  private final Map<String, FunctionRuntime> runtimes = new ConcurrentHashMap<>();

  /** The runtimes as handed out when the options have a listener: wrapped, one per kind. */
  private final Map<String, FunctionRuntime> observed = new ConcurrentHashMap<>();

  private FunctionRuntimes(RuntimeOptions options) {
    this.options = options;
    for (FunctionRuntimeProvider p : ServiceLoader.load(FunctionRuntimeProvider.class)) {
      providers.put(p.kind(), p);
    }
  }

  /** Every runtime provider found on the class path. */
  public static FunctionRuntimes load(RuntimeOptions options) {
    return new FunctionRuntimes(options);
  }

  public RuntimeOptions options() {
    return options;
  }

  /** Adds (or replaces) a runtime instance, e.g. a {@code java} runtime with functions in it. */
  public FunctionRuntimes register(FunctionRuntime runtime) {
    FunctionRuntime old = runtimes.put(runtime.kind(), runtime);
    observed.remove(runtime.kind());
    if (old != null && old != runtime) {
      old.close();
    }
    return this;
  }

  /** Whether a runtime of this kind exists (registered or creatable). */
  public boolean has(String kind) {
    return runtimes.containsKey(kind) || providers.containsKey(kind);
  }

  /** The names of every known runtime kind. */
  public java.util.Set<String> kinds() {
    java.util.Set<String> all = new java.util.TreeSet<>(providers.keySet());
    all.addAll(runtimes.keySet());
    return all;
  }

  /**
   * What the runtimes created so far hold, summed: busy slots, and the memory their containers were
   * granted and use (the worker's heartbeat, /metrics and FaaStore budget read it).
   */
  public Footprint footprint() {
    return sum(List.of(this));
  }

  /**
   * The footprint of several runtime sets, each runtime counted once (sets may share registered
   * runtimes): a worker's base runtimes and those it made per deployment.
   */
  public static Footprint sum(Collection<FunctionRuntimes> sets) {
    Set<FunctionRuntime> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    int busy = 0;
    long granted = 0;
    long used = 0;
    for (FunctionRuntimes set : sets) {
      for (FunctionRuntime r : set.runtimes.values()) {
        if (!seen.add(r)) {
          continue;
        }
        Footprint f = r.footprint();
        busy += f.busySlots();
        granted += f.grantedMemoryBytes();
        used += f.usedMemoryBytes();
      }
    }
    return new Footprint(busy, granted, used);
  }

  /**
   * The runtime of a kind, created on first use; throws {@link FunctionException} if none. When the
   * options have an {@link InvocationListener}, the runtime comes wrapped so that it hears each
   * call.
   */
  public FunctionRuntime runtime(String kind) {
    if (options.listener() == InvocationListener.NONE) {
      return unobserved(kind);
    }
    FunctionRuntime o = observed.get(kind);
    if (o != null) {
      return o;
    }
    FunctionRuntime r = unobserved(kind);
    return observed.computeIfAbsent(kind, k -> new ObservedRuntime(r, options.listener()));
  }

  private FunctionRuntime unobserved(String kind) {
    FunctionRuntime r = runtimes.get(kind);
    if (r != null) {
      return r;
    }
    FunctionRuntimeProvider p = providers.get(kind);
    if (p == null) {
      throw new FunctionException(
          FunctionException.UNKNOWN_FUNCTION,
          "no function runtime '" + kind + "' (known: " + kinds() + ")",
          false);
    }
    return runtimes.computeIfAbsent(kind, k -> p.create(options));
  }

  /**
   * The runtime that runs {@code function} as bound on this worker: {@link #runtime} itself, or,
   * when its settings refer to secrets ({@code {secret: NAME}}), a wrapper that puts their values
   * (from {@link RuntimeOptions#secrets()}) into the settings just before the runtime uses them.
   * The definition itself never holds a value.
   */
  public FunctionRuntime bind(FunctionDef function) {
    FunctionRuntime r = runtime(function.runtime());
    return Secrets.referenced(function.settings()) ? new SecretRuntime(r, options.secrets()) : r;
  }

  /**
   * Invokes a function on the runtime its definition names; an unknown runtime fails the stage
   * (type {@link FunctionException#UNKNOWN_FUNCTION}) rather than throwing.
   */
  public CompletionStage<JsonNode> invoke(Invocation invocation) {
    FunctionRuntime r;
    try {
      r = bind(invocation.function());
    } catch (FunctionException e) {
      return CompletableFuture.failedFuture(e);
    }
    return r.invoke(invocation);
  }

  /**
   * What is wrong with a function definition: an unknown runtime kind, or settings its runtime
   * rejects. Empty when it can run.
   */
  public List<Problem> check(FunctionDef function) {
    String what = "function '" + function.name() + "'";
    if (!has(function.runtime())) {
      return List.of(
          new Problem(
              function.location(),
              null,
              what
                  + " uses runtime '"
                  + function.runtime()
                  + "', which does not exist here"
                  + " (known runtimes: "
                  + kinds()
                  + ")"));
    }
    List<String> secretProblems = Secrets.problems(function.settings());
    if (!secretProblems.isEmpty()) {
      return secretProblems.stream()
          .map(m -> new Problem(function.location(), null, what + ": " + m))
          .toList();
    }
    try {
      Settings.duration(function, "timeout");
      // secrets are not read here (the master checks too): their names stand in for them
      FunctionDef checked =
          Secrets.referenced(function.settings())
              ? new FunctionDef(
                  function.name(),
                  function.runtime(),
                  Secrets.placeholders(function.settings()),
                  function.location())
              : function;
      runtime(function.runtime()).validate(checked);
      return List.of();
    } catch (IllegalArgumentException | FunctionException e) {
      String message = e.getMessage();
      String prefix = Settings.describe(function) + ": ";
      if (message != null && message.startsWith(prefix)) {
        message = what + ": " + message.substring(prefix.length());
      }
      return List.of(new Problem(function.location(), null, message));
    }
  }

  /** Throws {@link DefinitionException} with every problem of these functions, if any. */
  public void validate(Collection<FunctionDef> functions) {
    List<Problem> problems = new ArrayList<>();
    functions.forEach(f -> problems.addAll(check(f)));
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
  }

  /** Throws {@link DefinitionException} if the function cannot run here. */
  public void validate(FunctionDef function) {
    validate(List.of(function));
  }

  @Override
  public void close() {
    runtimes.values().forEach(FunctionRuntime::close);
    runtimes.clear();
    observed.clear();
  }
}
