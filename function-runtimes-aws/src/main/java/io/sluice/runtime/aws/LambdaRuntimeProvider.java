package io.sluice.runtime.aws;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/**
 * Provides the {@code aws-lambda} runtime to {@link io.sluice.runtime.FunctionRuntimes}; on the
 * class path wherever this module's jar is (the cli's runnable jar, so bin/sluice and every master
 * and worker it starts).
 */
public final class LambdaRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return LambdaFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new LambdaFunctionRuntime(options);
  }
}
