package io.sluice.runtime.docker;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/**
 * Provides the {@code docker} runtime to {@link io.sluice.runtime.FunctionRuntimes}. Creating it
 * does not contact the engine: that happens when a docker function is validated or called.
 */
public final class DockerRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return DockerFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new DockerFunctionRuntime(options);
  }
}
