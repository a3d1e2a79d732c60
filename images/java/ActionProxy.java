import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Sluice's Java action proxy: the OpenWhisk action-proxy protocol on 127.0.0.1:$PORT.
 *
 * <p>{@code POST /init {"value": {"code": "<Java source>", "main": "Class" | "Class.method"}}} once:
 * compiles the source (javax.tools, Jackson on the class path) and finds {@code public static
 * JsonNode method(JsonNode input)} (method default {@code main}; class default: the source's first
 * public class). {@code POST /run {"value": input}} per call answers the method's result. Errors:
 * {@code {"error": "..."}} with 502 (the function threw), 403 (a second /init), 500 (not
 * initialised).
 */
public final class ActionProxy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile Method main;

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    String host = System.getenv().getOrDefault("SLUICE_BIND", "127.0.0.1");
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    server.createContext("/init", ex -> handle(ex, true));
    server.createContext("/run", ex -> handle(ex, false));
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    System.out.println("sluice java proxy listening on " + host + ":" + port);
  }

  private static void handle(HttpExchange ex, boolean init) throws IOException {
    int status;
    byte[] body;
    try {
      JsonNode msg = JSON.readTree(ex.getRequestBody().readAllBytes());
      JsonNode value = msg == null ? null : msg.get("value");
      if (init) {
        status = init(value);
        body = status == 200 ? "{\"ok\":true}".getBytes(StandardCharsets.UTF_8) : null;
      } else if (main == null) {
        status = 500;
        body = null;
        throw new IllegalStateException("the action was not initialized (POST /init first)");
      } else {
        Object out = main.invoke(null, value);
        status = 200;
        body = JSON.writeValueAsBytes(out);
      }
    } catch (InvocationTargetException e) {
      status = 502;
      body = error(e.getCause());
    } catch (InitError e) {
      status = e.status;
      body = error(e.getMessage(), null);
    } catch (Throwable e) {
      status = main == null && !init ? 500 : 502;
      body = error(e);
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static synchronized int init(JsonNode value) throws Exception {
    if (main != null) {
      throw new InitError(403, "cannot initialize the action more than once");
    }
    String code = value == null || value.path("code").isMissingNode() ? null : value.path("code").asText();
    if (code == null || code.isBlank()) {
      throw new InitError(500, "no code to initialize (a prebuilt image needs its own proxy)");
    }
    String spec = value.path("main").asText("");
    String cls = null;
    String method = "main";
    if (!spec.isEmpty() && !spec.equals("main")) {
      int dot = spec.lastIndexOf('.');
      if (dot > 0 && Character.isLowerCase(spec.charAt(dot + 1))) {
        cls = spec.substring(0, dot);
        method = spec.substring(dot + 1);
      } else if (Character.isUpperCase(spec.charAt(0)) || spec.contains(".")) {
        cls = spec;
      } else {
        method = spec;
      }
    }
    if (cls == null) {
      Matcher m = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(code);
      if (!m.find()) {
        throw new InitError(502, "the code has no public class; name one with the main setting");
      }
      cls = m.group(1);
    }
    Path dir = Files.createTempDirectory("action");
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    Path src = dir.resolve(simple + ".java");
    Files.writeString(src, code);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "-nowarn"),
                null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src))
            .call();
    if (!ok) {
      throw new InitError(502, "the code does not compile:\n" + diagnostics);
    }
    URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, ActionProxy.class.getClassLoader());
    Class<?> c = loader.loadClass(cls);
    Method m = c.getMethod(method, JsonNode.class);
    if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
      throw new InitError(502, cls + "." + method + "(JsonNode) must be static");
    }
    main = m;
    return 200;
  }

  private static byte[] error(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    return error(t.getClass().getSimpleName() + ": " + t.getMessage(), trace.toString());
  }

  private static byte[] error(String message, String trace) {
    ObjectNode o = JSON.createObjectNode().put("error", message);
    if (trace != null) {
      o.put("trace", trace.length() > 2000 ? trace.substring(0, 2000) : trace);
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      return "{\"error\":\"unprintable error\"}".getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final class InitError extends Exception {
    final int status;

    InitError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
