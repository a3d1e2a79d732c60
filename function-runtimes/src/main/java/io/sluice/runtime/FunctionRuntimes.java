package io.sluice.runtime;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where a runtime kind is turned into a runtime: every {@link
 * FunctionRuntimeProvider} on the class path, created on first use and closed together.
 */
public final class FunctionRuntimes implements AutoCloseable {
  private final RuntimeOptions options;
  private final Map<String, FunctionRuntimeProvider> providers = new TreeMap<>();
  private final Map<String, FunctionRuntime> runtimes = new ConcurrentHashMap<>();

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

  /** The runtime of a kind, created on first use; throws {@link FunctionException} if none. */
  public FunctionRuntime runtime(String kind) {
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

  @Override
  public void close() {
    runtimes.values().forEach(FunctionRuntime::close);
    runtimes.clear();
  }
}
