package io.sluice.runtime.java;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/** Provides the {@code java} runtime to {@link io.sluice.runtime.FunctionRuntimes}. */
public final class JavaRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return JavaRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return JavaRuntime.create(options);
  }
}
