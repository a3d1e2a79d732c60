package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function that runs inside the worker's JVM, served by the {@code java} runtime. Register one by
 * name ({@code JavaRuntime.create().register("resize", fn)}) or name its class in the function's
 * settings ({@code class: com.example.Resize}: a public class with a public no-argument
 * constructor, instantiated once).
 *
 * <p>Implementations must be thread-safe: one instance serves every concurrent invocation. By
 * default {@link #apply} runs on the engine's thread, so it must not block; a function that blocks
 * (I/O, sleeps) declares {@code async: true} and runs on the runtime's own threads.
 */
@FunctionalInterface
public interface JavaFunction {

  /**
   * Computes the output. Throwing a {@link FunctionException} fails the attempt with that type; any
   * other exception fails it with type {@link FunctionException#FUNCTION_FAILED} (retryable).
   */
  JsonNode apply(JsonNode input, FunctionContext ctx) throws Exception;
}
