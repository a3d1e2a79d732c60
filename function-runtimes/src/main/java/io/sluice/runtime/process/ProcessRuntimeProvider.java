package io.sluice.runtime.process;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/** Provides the {@code process} runtime to {@link io.sluice.runtime.FunctionRuntimes}. */
public final class ProcessRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return ProcessFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new ProcessFunctionRuntime(options);
  }
}
