package io.sluice.runtime.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.JsonMappers;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.DaemonThreads;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The {@code openwhisk} runtime: each invocation is a blocking action invocation over OpenWhisk's
 * REST API ({@link OpenWhiskCall}), authenticated with the {@code UUID:KEY} API key the worker
 * reads from the environment variable or file the function names ({@link ApiKeys}). One
 * asynchronous JDK HTTP client per runtime keeps connections to the controllers alive between
 * calls; failures carry OpenWhisk's activation status or the controller's HTTP status as their type
 * ({@link OpenWhiskErrors}).
 */
final class OpenWhiskFunctionRuntime implements FunctionRuntime {
  static final String KIND = "openwhisk";
  static final ObjectMapper JSON = JsonMappers.forValues();

  private final RuntimeOptions options;
  private final InFlight inFlight = new InFlight(KIND);
  private final ExecutorService io;
  private final HttpClient http;
  private final ApiKeys keys;

  OpenWhiskFunctionRuntime(RuntimeOptions options) {
    this(options, System::getenv);
  }

  /** A runtime that reads {@code authEnv} variables through {@code env} (tests pass a map). */
  OpenWhiskFunctionRuntime(RuntimeOptions options, Function<String, String> env) {
    this.options = options;
    this.io = DaemonThreads.cachedPool("sluice-openwhisk-io", Duration.ofSeconds(30));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(io)
            .build();
    this.keys = new ApiKeys(env);
  }

  @Override
  public String kind() {
    return KIND;
  }

  RuntimeOptions options() {
    return options;
  }

  HttpClient http() {
    return http;
  }

  @Override
  public void validate(FunctionDef function) {
    OpenWhiskSpec.of(function);
    Settings.duration(function, "timeout");
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    OpenWhiskSpec spec;
    long deadline;
    try {
      spec = OpenWhiskSpec.of(inv.function());
      deadline = Deadlines.effective(inv, options.scheduler());
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(Settings.badConfiguration(e));
      return result;
    }
    String auth;
    byte[] body;
    try {
      auth = keys.header(spec, Settings.describe(inv.function()));
      body = body(inv, spec);
    } catch (FunctionException e) {
      result.completeExceptionally(e);
      return result;
    }
    OpenWhiskCall call = new OpenWhiskCall(this, inv, spec, auth, deadline, result);
    inFlight.track(result);
    result.whenComplete((r, e) -> call.stop());
    Deadlines.enforce(result, inv, deadline, options.scheduler(), call::stop);
    call.start(body);
    return result;
  }

  /** The input as the action's parameters: a JSON object ({@code null} is sent as {@code {}}). */
  private static byte[] body(Invocation inv, OpenWhiskSpec spec) {
    JsonNode input = inv.input();
    if (input == null || input.isNull() || input.isMissingNode()) {
      return "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!input.isObject()) {
      throw new FunctionException(
          OpenWhiskErrors.BAD_INPUT,
          "function '"
              + inv.function().name()
              + "' (OpenWhisk action "
              + spec.qualifiedName()
              + ") at node '"
              + inv.nodeId()
              + "': an action's parameters are a JSON object, but the input is "
              + input.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + "; map it into an object with the node's input expression",
          false);
    }
    try {
      return JSON.writeValueAsBytes(input);
    } catch (IOException e) {
      throw FunctionException.of(e);
    }
  }

  @Override
  public Footprint footprint() {
    return new Footprint(inFlight.size(), 0, 0);
  }

  @Override
  public void close() {
    inFlight.close(); // fails every running call, which stops its request or polling
    io.shutdownNow();
  }
}
