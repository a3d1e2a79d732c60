package io.sluice.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.JavaFunction;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import io.sluice.time.Scheduler;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link JavaRuntime}: inline calls on the caller's thread, {@code async} ones on a pool. */
final class JvmFunctionRuntime implements JavaRuntime {
  private final Map<String, JavaFunction> functions = new ConcurrentHashMap<>();
  private final JavaFunctionClasses classes = new JavaFunctionClasses();
  private final InFlight inFlight = new InFlight(KIND);
  private final AsyncJavaCalls async;

  /** {@code scheduler} null: deadlines of async functions are not enforced. */
  JvmFunctionRuntime(Scheduler scheduler) {
    this.async = new AsyncJavaCalls(scheduler, inFlight);
    BuiltinFunctions.addTo(functions);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public JavaRuntime register(String name, JavaFunction function) {
    if (name == null || name.isBlank() || function == null) {
      throw new IllegalArgumentException("a java function needs a name and an implementation");
    }
    functions.put(name, function);
    return this;
  }

  @Override
  public Set<String> functionNames() {
    return new TreeSet<>(functions.keySet());
  }

  @Override
  public void validate(FunctionDef function) {
    Settings.bool(function, "async", false);
    Settings.duration(function, "timeout");
    try {
      resolve(function);
    } catch (FunctionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Synchronous JVM functions (all but {@code async: true} ones) run on the caller's thread. */
  @Override
  public boolean runsOnCaller(FunctionDef function) {
    JsonNode async = function.settings().get("async");
    return async == null || !async.asBoolean();
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    JavaFunction fn;
    try {
      fn = resolve(inv.function());
    } catch (FunctionException e) {
      return CompletableFuture.failedFuture(e);
    }
    JsonNode asyncSetting = inv.function().settings().get("async");
    if (asyncSetting != null && asyncSetting.asBoolean()) {
      return async.call(fn, inv);
    }
    FunctionContext ctx = FunctionContext.of(inv);
    try {
      JsonNode out = orNull(fn.apply(inv.input(), ctx));
      report(ctx, inv);
      return CompletableFuture.completedFuture(out);
    } catch (Exception | LinkageError | StackOverflowError e) {
      report(ctx, inv);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.failedFuture(FunctionException.of(e));
    }
  }

  /** The function's log lines become the call's log (before its result completes). */
  static void report(FunctionContext ctx, Invocation inv) {
    if (ctx.logLines() != null) {
      ctx.logLines().report(inv);
    }
  }

  private JavaFunction resolve(FunctionDef def) {
    JsonNode settings = def.settings();
    JsonNode className = settings.get("class");
    if (className != null) {
      if (!className.isTextual() || className.textValue().isBlank()) {
        throw Settings.badConfiguration(
            Settings.bad(def, "class", "must be a fully qualified class name, got " + className));
      }
      return classes.get(def, className.textValue());
    }
    JsonNode nameSetting = settings.get("name");
    String name =
        nameSetting != null && nameSetting.isTextual() ? nameSetting.textValue() : def.name();
    JavaFunction fn = functions.get(name);
    if (fn == null) {
      throw new FunctionException(
          FunctionException.UNKNOWN_FUNCTION,
          Settings.describe(def)
              + ": no java function '"
              + name
              + "' is registered; register it with JavaRuntime.register or name a class in the"
              + " 'class' setting (registered: "
              + functionNames()
              + ")",
          false);
    }
    return fn;
  }

  private static JsonNode orNull(JsonNode out) {
    return out == null ? NullNode.getInstance() : out;
  }

  @Override
  public Footprint footprint() {
    return new Footprint(inFlight.size(), 0, 0);
  }

  @Override
  public void close() {
    inFlight.close();
    async.close();
  }
}
