package io.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Raw HTTP/1.1 requests for the wire fuzzer: random methods, paths, content types and CloudEvents
 * (structured, binary, batch) with broken JSON, wrong attributes, huge headers, oversized and
 * chunked bodies, wrong framing and pipelined garbage; a reader for the responses; and {@link
 * #exchange}, one fuzzing connection. Shared by the wire fuzzers of the master's and the worker's
 * HTTP endpoints, which must answer all of it with {@link #CLEAR} statuses.
 */
public final class RandomHttp {
  /** One response: status, headers (lower-case names), body as text. */
  public record Response(int status, Map<String, String> headers, String body) {}

  /**
   * The answers a fuzzed endpoint may give: success (2xx: an event accepted, or one that matched
   * nothing) or a client error a sender can act on (bad request, unknown path or instance, method
   * not allowed, body/URI/headers too large, unsupported media type). Never a 5xx.
   */
  public static final Set<Integer> CLEAR = Set.of(200, 202, 204, 400, 404, 405, 413, 414, 415, 431);

  private static final List<String> METHODS =
      List.of("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW");
  private static final List<String> PATHS =
      List.of(
          "/events",
          "/events",
          "/events",
          "/events/aws",
          "/events/auto",
          "/events/gcp-pubsub",
          "/events/nope",
          "/events?shape=aws",
          "/events?shape=%zz",
          "/health",
          "/metrics",
          "/",
          "/events/../health",
          "/x");
  private static final List<String> TYPES =
      List.of(
          "application/cloudevents+json",
          "application/cloudevents+json",
          "application/cloudevents-batch+json",
          "application/json",
          "text/plain",
          "application/xml",
          "garbage;;;=",
          "application/json; charset=utf-9");

  private final SplittableRandom random;
  private final int maxBody;

  public RandomHttp(SplittableRandom random, int maxBody) {
    this.random = random;
    this.maxBody = maxBody;
  }

  /** One request's bytes, or (sometimes) plain garbage. */
  public byte[] request() {
    if (random.nextInt(20) == 0) {
      // random bytes, ended as a request head would be (else the server rightly waits for more)
      byte[] g = new byte[random.nextInt(1, 2048) + 4];
      random.nextBytes(g);
      System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, g, g.length - 4, 4);
      return g;
    }
    String method = pick(METHODS);
    String path = random.nextInt(30) == 0 ? "/" + "p".repeat(20_000) : pick(PATHS);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (random.nextInt(5) != 0) {
      head.append("Content-Type: ").append(pick(TYPES)).append("\r\n");
    }
    if (random.nextInt(4) == 0) {
      binaryHeaders(head);
    }
    if (random.nextInt(25) == 0) {
      head.append("X-Huge: ").append("h".repeat(random.nextInt(9_000, 70_000))).append("\r\n");
    }
    byte[] body = body().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int framing = random.nextInt(10);
    if (framing == 0) {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(chunked(body));
    } else if (framing == 1) {
      // a Content-Length shorter than the body: the rest reads as the next (garbage) request
      head.append("Content-Length: ").append(body.length / 2).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
      out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else if (framing == 2) {
      head.append("Content-Length: -5\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    } else {
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private void binaryHeaders(StringBuilder head) {
    head.append("ce-specversion: ").append(pick(List.of("1.0", "0.3", "2", ""))).append("\r\n");
    if (random.nextBoolean()) {
      head.append("ce-id: ").append(pick(List.of("e1", "", "x".repeat(3000)))).append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("ce-source: ").append(pick(List.of("s", "", "%%%"))).append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("ce-type: ")
          .append(pick(List.of("t", "com.example.order.approved")))
          .append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("ce-time: ")
          .append(pick(List.of("yesterday", "2026-01-01T00:00:00Z")))
          .append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("ce-subject: ")
          .append(pick(List.of("unknown-instance", "", "a/b")))
          .append("\r\n");
    }
  }

  private byte[] chunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, random.nextInt(1, 4096));
      String size = random.nextInt(20) == 0 ? "zz" : Integer.toHexString(n);
      out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      at += n;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** A body: structured and batch events with broken attributes, broken JSON, huge ones. */
  public String body() {
    return switch (random.nextInt(14)) {
      case 0 -> "";
      case 1 -> event();
      case 2 -> "[" + event() + "," + event() + "]";
      case 3 -> "[]";
      case 4 -> {
        String e = event();
        yield e.substring(0, random.nextInt(1, e.length()));
      }
      case 5 -> "{\"specversion\":2,\"id\":{},\"source\":[],\"type\":null}";
      case 6 ->
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data_base64\":\"%%\"}";
      case 7 -> "[".repeat(random.nextInt(1, 20_000));
      case 8 -> "{\"data\":\"" + "d".repeat(maxBody + random.nextInt(1, 4096)) + "\"}";
      case 9 -> "{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"object\":{\"key\":7}}}]}";
      case 10 -> "\u0000\u0001\uFFFF";
      case 11 ->
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"time\":\"never\"}";
      case 12 -> "[" + "1,".repeat(random.nextInt(1, 2000)) + "1]";
      default -> "{\"a\": 1e99999999, \"b\": -0, \"c\": \"\\ud800\"}";
    };
  }

  private String event() {
    return "{\"specversion\":\"1.0\",\"id\":\"e"
        + random.nextInt(1000)
        + "\",\"source\":\"fuzz\",\"type\":\"com.example.order.approved\",\"subject\":\""
        + pick(List.of("unknown-instance", "", "x"))
        + "\",\"datacontenttype\":\"application/json\",\"data\":{\"orderId\":"
        + random.nextInt(-1, 3)
        + "}}";
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /**
   * One connection to {@code 127.0.0.1:port}: 1-3 pipelined requests, sometimes garbage after them;
   * the answers read (until the server closes or says {@code Connection: close}).
   *
   * @throws AssertionError when a request gets no answer within {@code readTimeoutMs} (a hang), or
   *     a connection all of whose requests were written gets no answer at all
   */
  public static List<Response> exchange(
      SplittableRandom random, int port, int maxBody, int readTimeoutMs) throws IOException {
    RandomHttp gen = new RandomHttp(random, maxBody);
    int requests = random.nextInt(1, 4);
    List<Response> answers = new ArrayList<>();
    boolean writeFailed = false;
    List<String> sent = new ArrayList<>();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(readTimeoutMs);
      OutputStream out = s.getOutputStream();
      try {
        for (int i = 0; i < requests; i++) {
          byte[] r = gen.request();
          sent.add(shortly(r));
          out.write(r);
        }
        if (random.nextInt(8) == 0) {
          out.write("GARBAGE \u0001\u0002 HTTP/9.9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          requests++;
        }
        out.flush();
      } catch (IOException e) {
        // the server answered a request it refuses (413, 431, 400) and closed while the rest was
        // still being written: allowed, and the answer may be lost with the reset
        writeFailed = true;
      }
      InputStream in = s.getInputStream();
      for (int i = 0; i < requests; i++) {
        Response r;
        try {
          r = read(in);
        } catch (SocketTimeoutException e) {
          throw new AssertionError(
              "no answer within "
                  + readTimeoutMs
                  + " ms to request "
                  + i
                  + " of "
                  + requests
                  + " on port "
                  + port
                  + ": "
                  + sent,
              e);
        } catch (IOException e) {
          break; // the server closed after a request it could not frame: allowed
        }
        if (r == null) {
          break;
        }
        answers.add(r);
        if ("close".equalsIgnoreCase(r.headers().get("connection"))) {
          break;
        }
      }
    }
    if (!writeFailed && answers.isEmpty()) {
      throw new AssertionError("no answer at all on a connection that was sent " + sent);
    }
    return answers;
  }

  /** The start of a request, printable, for failure messages. */
  private static String shortly(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
    return s.replace("\r", "\\r").replace("\n", "\\n") + (request.length > 300 ? "..." : "");
  }

  /** Reads one response (Content-Length framed or chunked); null at the end of the stream. */
  public static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; ) {
        b.writeBytes(in.readNBytes(n));
        line(in);
        n = Integer.parseInt(line(in).trim(), 16);
      }
      line(in);
      body = b.toByteArray();
    } else {
      body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    }
    return new Response(
        Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }
}
