package io.sluice.runtime.http;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeProvider;
import io.sluice.runtime.RuntimeOptions;

/** Provides the {@code http} runtime to {@link io.sluice.runtime.FunctionRuntimes}. */
public final class HttpRuntimeProvider implements FunctionRuntimeProvider {
  @Override
  public String kind() {
    return HttpFunctionRuntime.KIND;
  }

  @Override
  public FunctionRuntime create(RuntimeOptions options) {
    return new HttpFunctionRuntime(options);
  }
}
