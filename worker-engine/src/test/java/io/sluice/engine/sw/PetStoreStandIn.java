package io.sluice.engine.sw;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in, on 127.0.0.1, for the two public services the conformance kit calls
 * (petstore.swagger.io's {@code /v2/pet} and httpbin.org's {@code /basic-auth}): enough to run the
 * kit's network scenarios with their hosts rewritten to it. Records every request it gets.
 */
final class PetStoreStandIn implements AutoCloseable {
  final List<String> seen = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  PetStoreStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        x -> {
          String path = x.getRequestURI().toString();
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              x.getRequestMethod()
                  + " "
                  + path
                  + " "
                  + x.getRequestHeaders().getFirst("X-Trace")
                  + " "
                  + body);
          String reply;
          int status = 200;
          if (path.startsWith("/v2/pet/findByStatus")) {
            reply = "[{\"id\": 1, \"name\": \"rex\", \"status\": \"available\"}]";
          } else if (path.matches("/v2/pet/\\d+")) {
            reply = "{\"id\": " + path.substring(8) + ", \"name\": \"rex\", \"status\": \"sold\"}";
          } else if (path.equals("/v2/pet") && x.getRequestMethod().equals("POST")) {
            reply = body;
          } else if (path.startsWith("/basic-auth/")) {
            boolean auth = x.getRequestHeaders().getFirst("Authorization") != null;
            status = auth ? 200 : 401;
            reply = "{\"authenticated\": " + auth + "}";
          } else {
            status = 404;
            reply = "{\"message\": \"Pet not found\"}";
          }
          byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(status, bytes.length);
          x.getResponseBody().write(bytes);
          x.close();
        });
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A definition with the kit's public hosts replaced by this stand-in. */
  String rewrite(String definition) {
    return definition
        .replace("https://petstore.swagger.io", base())
        .replace("https://httpbin.org", base());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
