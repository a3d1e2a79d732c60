package io.sluice.runtime.openwhisk;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/** Provides the {@code openwhisk} runtime to {@link io.sluice.runtime.FunctionRuntimes}. */
public final class OpenWhiskRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return OpenWhiskFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new OpenWhiskFunctionRuntime(options);
  }
}
