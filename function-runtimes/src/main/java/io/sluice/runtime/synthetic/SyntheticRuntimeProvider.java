package io.sluice.runtime.synthetic;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/** Provides the {@code synthetic} runtime to {@link io.sluice.runtime.FunctionRuntimes}. */
public final class SyntheticRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return SyntheticFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new SyntheticFunctionRuntime(options);
  }
}
