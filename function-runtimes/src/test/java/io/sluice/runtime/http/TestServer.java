package io.sluice.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-JVM HTTP/1.1 server on a free 127.0.0.1 port for the http runtime's unit tests: records
 * every request and answers with what the test set ({@link #answer}).
 */
final class TestServer implements AutoCloseable {
  /** A request as received. */
  record Request(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** How to answer a request. */
  @FunctionalInterface
  interface Answer {
    void answer(HttpExchange ex, Request req) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Answer answer = (ex, req) -> send(ex, 200, "application/json", "{}");

  TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/",
        ex -> {
          try {
            Request r =
                new Request(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()),
                    ex.getRequestBody().readAllBytes());
            requests.add(r);
            answer.answer(ex, r);
          } catch (Exception e) {
            send(ex, 599, "text/plain", "test server: " + e);
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  TestServer answer(Answer a) {
    answer = a;
    return this;
  }

  /** Answers every request with {@code status}, {@code contentType} and {@code body}. */
  TestServer answer(int status, String contentType, String body) {
    return answer((ex, req) -> send(ex, status, contentType, body));
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
