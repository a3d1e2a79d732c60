package io.sluice.runtime;

/**
 * Creates a runtime of one kind. Providers are found with {@link java.util.ServiceLoader}
 * (META-INF/services/io.sluice.runtime.FunctionRuntimeProvider), so a new platform is a new jar on
 * the class path, not an edit of the engine.
 */
public interface FunctionRuntimeProvider {
  String kind();

  FunctionRuntime create(RuntimeOptions options);
}
