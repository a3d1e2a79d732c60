package io.sluice.runtime.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLException;

/**
 * The {@code http} runtime: a call is one HTTP request to the function's URL, in one of the shapes
 * serverless platforms use ({@link Format}, {@link Preset}), on one JDK {@link HttpClient} per
 * runtime (connections pooled and kept alive; HTTP/1.1, or HTTP/2 by ALPN or h2c upgrade).
 *
 * <p>Settings are compiled once per definition ({@link HttpSpec}). {@link #invoke} builds the
 * request on the caller's thread (jq, the input's JSON bytes) and returns at once; the exchange
 * runs on the runtime's threads ({@code sluice-http-*}) and the client's selector thread, and the
 * answer is decoded where the client completes its future: off the selector thread, on
 * CompletableFuture's default async pool (the JDK's choice for {@code sendAsync}; on machines with
 * fewer than 3 CPUs that pool starts a thread per task). The deadline (the engine's, tightened by
 * {@code timeout}) cancels the request; so do closing the runtime and cancelling the returned
 * stage.
 */
final class HttpFunctionRuntime implements FunctionRuntime {
  static final String KIND = "http";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_CACHED_SPECS = 4096;

  private final RuntimeOptions options;
  private final InFlight inFlight = new InFlight(KIND);
  private final ExecutorService io;
  private final HttpClient client;
  // Unbounded strings (the size limit is maxOutputBytes); one JSON value per body, not a prefix.
  private final ObjectMapper json =
      JsonMapper.builder(JsonMappers.unboundedFactory())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private final HttpRequests requests = new HttpRequests(json);
  private final HttpReplies replies = new HttpReplies(json);
  private final Map<FunctionDef, HttpSpec> specs = new ConcurrentHashMap<>();

  HttpFunctionRuntime(RuntimeOptions options) {
    this.options = options;
    this.io = DaemonThreads.cachedPool("sluice-http", Duration.ofSeconds(30));
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(io)
            .build();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void validate(FunctionDef function) {
    spec(function);
  }

  /** The compiled settings of {@code f}, read once per definition. */
  HttpSpec spec(FunctionDef f) {
    HttpSpec s = specs.get(f);
    if (s != null) {
      return s;
    }
    s = HttpSpec.of(f);
    if (specs.size() >= MAX_CACHED_SPECS) {
      specs.clear(); // definitions come and go with deployments; never grow without bound
    }
    specs.put(f, s);
    return s;
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    HttpSpec spec;
    try {
      spec = spec(inv.function());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(Settings.badConfiguration(e));
    }
    long now = options.scheduler().nanoTime();
    long deadline = deadline(spec, inv, now);
    if (deadline != Long.MAX_VALUE && deadline <= now) {
      return CompletableFuture.failedFuture(Deadlines.timeout(inv));
    }
    HttpRequests.Built req;
    try {
      req = requests.build(spec, inv, now, deadline == Long.MAX_VALUE ? deadline : deadline - now);
    } catch (FunctionException e) {
      return CompletableFuture.failedFuture(e);
    }
    String where = HttpRequests.where(spec, inv, req.method(), req.url());
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    inFlight.track(result);
    CompletableFuture<HttpResponse<byte[]>> send;
    try {
      if (options.allow().any()) {
        send = client.sendAsync(req.request(), LimitedBody.handler(options.maxOutputBytes()));
      } else {
        // security.allow.http, on the URL this call goes to: resolving its host blocks (DNS), so
        // off the engine's thread; only for deployments not registered by an admin
        FunctionDef fn = inv.function();
        URI url = req.url();
        send =
            CompletableFuture.runAsync(() -> options.allow().checkCall(fn, url), io)
                .thenCompose(
                    v ->
                        client.sendAsync(
                            req.request(), LimitedBody.handler(options.maxOutputBytes())));
      }
    } catch (RuntimeException e) { // the executor was shut down by close() meanwhile
      result.completeExceptionally(failure(where, e));
      return result;
    }
    // The client completes sendAsync's future off its selector thread (on CompletableFuture's
    // default async pool, never the selector), so the answer is decoded there, without a hop more.
    send.whenComplete(
        (resp, err) -> {
          if (result.isDone()) {
            return;
          }
          try {
            if (err != null) {
              result.completeExceptionally(failure(where, err));
            } else {
              result.complete(replies.decode(spec, where, resp));
            }
          } catch (FunctionException e) {
            result.completeExceptionally(e);
          } catch (RuntimeException e) {
            result.completeExceptionally(FunctionException.of(e));
          }
        });
    // However the result completes first (deadline, close, cancel), the request stops.
    result.whenComplete(
        (r, e) -> {
          if (!send.isDone()) {
            send.cancel(true);
          }
        });
    Deadlines.enforce(result, inv, deadline, options.scheduler(), () -> {});
    return result;
  }

  private static long deadline(HttpSpec spec, Invocation inv, long now) {
    if (spec.timeout == null) {
      return inv.deadlineNanos();
    }
    long own = now + spec.timeout.toNanos();
    return own < now ? inv.deadlineNanos() : Math.min(inv.deadlineNanos(), own);
  }

  /** What a failed exchange means for the workflow. */
  static FunctionException failure(String where, Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof FunctionException f) { // refused by security.allow.http before it went out
      return f;
    }
    for (Throwable x = c; x != null; x = x.getCause() == x ? null : x.getCause()) {
      if (x instanceof LimitedBody.TooLarge big) {
        return new FunctionException(
            FunctionException.BAD_OUTPUT,
            where
                + " answered with a body of "
                + (big.exact ? "" : "more than ")
                + big.bytes
                + " bytes, over the limit (RuntimeOptions.maxOutputBytes)",
            false);
      }
    }
    if (c instanceof HttpConnectTimeoutException) {
      return connection(where, "could not connect within " + CONNECT_TIMEOUT.toSeconds() + " s", c);
    }
    if (c instanceof HttpTimeoutException) {
      return new FunctionException(
          FunctionException.TIMEOUT, where + " did not answer by the call's deadline", true, c);
    }
    if (c instanceof SSLException) {
      return new FunctionException(
          HttpErrors.CONNECTION_FAILED, where + ": TLS failed: " + c.getMessage(), false, c);
    }
    if (c instanceof ConnectException) {
      return connection(where, "connection refused or unreachable", c);
    }
    if (c instanceof IOException) {
      return connection(where, "the connection failed before an answer: " + describe(c), c);
    }
    if (c instanceof CancellationException) {
      return new FunctionException(
          FunctionException.FUNCTION_FAILED, where + ": the call was cancelled", true, c);
    }
    if (c instanceof IllegalArgumentException) {
      return new FunctionException(
          FunctionException.BAD_CONFIGURATION, where + ": " + c.getMessage(), false, c);
    }
    return new FunctionException(
        FunctionException.FUNCTION_FAILED, where + ": " + describe(c), true, c);
  }

  private static FunctionException connection(String where, String what, Throwable c) {
    return new FunctionException(HttpErrors.CONNECTION_FAILED, where + ": " + what, true, c);
  }

  private static String describe(Throwable c) {
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  @Override
  public Footprint footprint() {
    return new Footprint(inFlight.size(), 0, 0);
  }

  @Override
  public void close() {
    inFlight.close(); // fails every running call, which cancels its request
    if (client instanceof AutoCloseable c) { // Java 21+: the client closes its connections
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    io.shutdownNow();
  }
}
