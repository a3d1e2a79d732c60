package io.sluice.runtime.java;

import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.JavaFunction;
import io.sluice.runtime.RuntimeOptions;
import java.util.Set;

/**
 * The {@code java} runtime: functions are {@link JavaFunction} objects in the worker's JVM.
 *
 * <p>A function definition names its function by the {@code name} setting (else by its own name),
 * looked up among the functions {@linkplain #register registered} here and the built-ins ({@code
 * sluice.identity}, {@code sluice.noop}, {@code sluice.echo}, {@code sluice.fail}), or by the
 * {@code class} setting: a public class with a public no-argument constructor, instantiated once.
 *
 * <p>A function runs on the calling thread (the hot path: no thread hop, no allocation beyond the
 * result stage) unless its settings say {@code async: true}; then it runs on the runtime's own
 * threads, and at its deadline the attempt fails with {@code Timeout} and the thread is
 * interrupted.
 *
 * <pre>{@code
 * JavaRuntime java = JavaRuntime.create().register("double", (in, ctx) -> ...);
 * runtimes.register(java);
 * }</pre>
 */
public interface JavaRuntime extends FunctionRuntime {
  String KIND = "java";

  /**
   * A runtime without a scheduler: inline functions run as usual, but deadlines of {@code async}
   * functions are not enforced. Use {@link #create(RuntimeOptions)} where they must be.
   */
  static JavaRuntime create() {
    return new JvmFunctionRuntime(null);
  }

  /** A runtime that enforces deadlines of {@code async} functions on the options' scheduler. */
  static JavaRuntime create(RuntimeOptions options) {
    return new JvmFunctionRuntime(options.scheduler());
  }

  /** Adds or replaces the function called {@code name}; returns this runtime. */
  JavaRuntime register(String name, JavaFunction function);

  /** The names of every registered function, the built-ins included. */
  Set<String> functionNames();
}
