package io.sluice.runtime.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STAND-IN for an OpenWhisk controller, written from OpenWhisk's published REST API and its
 * controller's documented behaviour; it is not OpenWhisk. It serves, on 127.0.0.1 and an ephemeral
 * port:
 *
 * <ul>
 *   <li>{@code POST /api/v1/namespaces/NS/actions/[PKG/]NAME?blocking=true[&result=true]}: checks
 *       basic auth against one {@code UUID:KEY}, runs the registered action on its own thread and
 *       waits up to {@link #blockingWait} for it; answers 200 with the activation record (or only
 *       the result with {@code result=true}), 502 for an application or developer error, 500 for an
 *       internal one, and 202 with {@code {"activationId"}} when the action outlasts the wait (the
 *       controller's 60 s); 401, 403, 404, 400 and 413 (over 1 MB) as the controller does.
 *   <li>{@code GET /api/v1/namespaces/NS/activations/ID/result}: the stored activation's response
 *       ({@code {result, status, success, size}}), 404 until the activation has finished.
 * </ul>
 *
 * An action that {@link Outcome#throttled} answers 429 as the controller's rate limiter does.
 */
final class OpenWhiskStandIn implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_BODY = 1024 * 1024;

  /** What an action does with its parameters on its {@code n}th call (from 1). */
  interface Action {
    Outcome run(JsonNode params, int n) throws Exception;
  }

  /**
   * An activation's outcome.
   *
   * @param statusCode 0 success, 1 application error, 2 developer error, 3 whisk internal error
   * @param result the result (for errors, {@code {"error": ...}})
   * @param throttled answer 429 instead of running
   */
  record Outcome(int statusCode, JsonNode result, boolean throttled) {
    static Outcome success(JsonNode result) {
      return new Outcome(0, result, false);
    }

    static Outcome error(int statusCode, Object error) {
      ObjectNode r = JSON.createObjectNode();
      r.set("error", JSON.valueToTree(error));
      return new Outcome(statusCode, r, false);
    }

    static Outcome throttle() {
      return new Outcome(0, null, true);
    }
  }

  final String key = UUID.randomUUID() + ":" + UUID.randomUUID().toString().replace("-", "");
  final String namespace = "guest";
  volatile Duration blockingWait = Duration.ofSeconds(60);
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** The {@code X-Idempotency-Key} and {@code X-Sluice-Step-Key} headers of each invoke request. */
  final List<String> keyHeaders = new CopyOnWriteArrayList<>();

  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Action> actions = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> finished = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpServer server;

  OpenWhiskStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  String apiHost() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Registers an action by its path in the namespace ({@code name} or {@code package/name}). */
  OpenWhiskStandIn action(String path, Action action) {
    actions.put(path, action);
    return this;
  }

  int calls(String path) {
    AtomicInteger n = calls.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      URI uri = ex.getRequestURI();
      requests.add(ex.getRequestMethod() + " " + uri.getRawPath());
      String expected =
          "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        error(ex, 401, "The supplied authentication is invalid.");
        return;
      }
      String[] p = uri.getRawPath().split("/");
      // "", api, v1, namespaces, NS, (actions|activations), ...
      if (p.length < 7 || !p[1].equals("api") || !p[2].equals("v1") || !p[3].equals("namespaces")) {
        error(ex, 404, "The requested resource does not exist.");
        return;
      }
      String ns = decode(p[4]);
      if (!ns.equals("_") && !ns.equals(namespace)) {
        error(ex, 403, "The supplied authentication is not authorized to access '" + ns + "'.");
        return;
      }
      if (p[5].equals("actions") && ex.getRequestMethod().equals("POST")) {
        keyHeaders.add(
            ex.getRequestHeaders().getFirst("X-Idempotency-Key")
                + " "
                + ex.getRequestHeaders().getFirst("X-Sluice-Step-Key"));
        StringBuilder path = new StringBuilder(decode(p[6]));
        for (int i = 7; i < p.length; i++) {
          path.append('/').append(decode(p[i]));
        }
        invoke(ex, path.toString(), query(uri));
      } else if (p[5].equals("activations")
          && p.length == 8
          && p[7].equals("result")
          && ex.getRequestMethod().equals("GET")) {
        ObjectNode record = finished.get(decode(p[6]));
        if (record == null) {
          error(ex, 404, "The requested resource does not exist.");
        } else {
          send(ex, 200, record.get("response"), null);
        }
      } else {
        error(ex, 405, "Method not allowed.");
      }
    }
  }

  private void invoke(HttpExchange ex, String path, Map<String, String> query) throws IOException {
    Action action = actions.get(path);
    if (action == null) {
      error(ex, 404, "The requested resource does not exist.");
      return;
    }
    byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      error(
          ex,
          413,
          "The request content was malformed:\nThe request is too large (over " + MAX_BODY + ").");
      return;
    }
    JsonNode params;
    try {
      params = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      params = null;
    }
    if (params == null || !params.isObject()) {
      error(ex, 400, "The request content was malformed:\nexpected a JSON object.");
      return;
    }
    int n = calls.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    String id = UUID.randomUUID().toString().replace("-", "");
    long start = System.currentTimeMillis();
    JsonNode in = params;
    CompletableFuture<Outcome> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return action.run(in, n);
              } catch (Exception e) {
                return Outcome.error(2, "An error has occurred: " + e);
              }
            },
            threads);
    Outcome out;
    try {
      out = run.get(blockingWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      run.thenAccept(o -> finished.put(id, record(path, id, start, o)));
      ex.getResponseHeaders().add("x-openwhisk-activation-id", id);
      send(ex, 202, JSON.createObjectNode().put("activationId", id), null);
      return;
    } catch (Exception e) {
      error(ex, 500, "stand-in failure: " + e);
      return;
    }
    if (out.throttled()) {
      error(ex, 429, "Too many requests in the last minute (count: 61, allowed: 60).");
      return;
    }
    ObjectNode record = record(path, id, start, out);
    finished.put(id, record);
    int status = out.statusCode() == 0 ? 200 : out.statusCode() == 3 ? 500 : 502;
    boolean resultOnly = "true".equals(query.get("result"));
    send(ex, status, resultOnly ? out.result() : record, id);
  }

  private ObjectNode record(String path, String id, long start, Outcome o) {
    long end = System.currentTimeMillis();
    ObjectNode r = JSON.createObjectNode();
    r.put("namespace", namespace);
    r.put("name", path.substring(path.lastIndexOf('/') + 1));
    r.put("version", "0.0.1");
    r.put("subject", namespace);
    r.put("activationId", id);
    r.put("start", start);
    r.put("end", end);
    r.put("duration", end - start);
    r.put("statusCode", o.statusCode());
    ObjectNode response = r.putObject("response");
    response.put(
        "status",
        switch (o.statusCode()) {
          case 0 -> "success";
          case 1 -> "application error";
          case 2 -> "action developer error";
          default -> "whisk internal error";
        });
    response.put("success", o.statusCode() == 0);
    response.set("result", o.result());
    response.put("size", o.result() == null ? 0 : o.result().toString().length());
    r.putArray("logs");
    r.putArray("annotations").addObject().put("key", "path").put("value", namespace + "/" + path);
    r.put("publish", false);
    return r;
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("error", message);
    body.put("code", UUID.randomUUID().toString().replace("-", ""));
    send(ex, status, body, null);
  }

  private static void send(HttpExchange ex, int status, JsonNode body, String activationId)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (activationId != null) {
      ex.getResponseHeaders().add("x-openwhisk-activation-id", activationId);
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new ConcurrentHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        int eq = kv.indexOf('=');
        q.put(
            decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
      }
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
