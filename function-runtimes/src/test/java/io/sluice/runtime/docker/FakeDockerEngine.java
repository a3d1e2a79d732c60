package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Docker engine without Docker, for the pool's unit tests: each "container" is an in-JVM HTTP
 * server on 127.0.0.1 at the {@code PORT} its environment names, answering {@code /init} and {@code
 * /run} like the action proxy. The test decides per create (counted from 1) whether it waits on a
 * latch and whether it fails, can hold {@code /run} answers, kill a container (its server stops, so
 * calls in it fail) and watch removals.
 */
final class FakeDockerEngine extends DockerEngine {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What one create does: waits for {@code gate} (if any), then fails with {@code failure}. */
  record Plan(CountDownLatch gate, RuntimeException failure) {}

  /** One fake container. */
  static final class Box {
    final String id;
    final Map<String, String> labels;
    final HttpServer server;
    final ExecutorService handlers;
    volatile boolean running = true;

    Box(String id, Map<String, String> labels, HttpServer server, ExecutorService handlers) {
      this.id = id;
      this.labels = labels;
      this.server = server;
      this.handlers = handlers;
    }

    void stop() {
      running = false;
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  private final Map<Integer, Plan> plans = new ConcurrentHashMap<>();
  private volatile RuntimeException failEvery;
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger runs = new AtomicInteger();
  private final Map<String, Box> live = new ConcurrentHashMap<>();
  private final List<String> removed = new CopyOnWriteArrayList<>();
  private volatile Consumer<String> onRemove = id -> {};
  private volatile CountDownLatch holdRuns;

  FakeDockerEngine() {
    super("fake://engine", null);
  }

  /** The {@code n}th create (from 1) follows {@code plan}. */
  void plan(int n, Plan plan) {
    plans.put(n, plan);
  }

  /** Every create without a plan fails with {@code e} (null: succeeds). */
  void failEvery(RuntimeException e) {
    failEvery = e;
  }

  /** A failure as the engine reports a container it could not start. */
  static RuntimeException startError(String why) {
    return new DockerException(why, 500);
  }

  /** Calls to {@code /run} answer only once {@code latch} opens (null: at once). */
  void holdRuns(CountDownLatch latch) {
    holdRuns = latch;
  }

  /** Runs {@code hook} on the removing thread before each removal. */
  void onRemove(Consumer<String> hook) {
    onRemove = hook;
  }

  int creates() {
    return creates.get();
  }

  /** Calls to {@code /run} that reached a container. */
  int runs() {
    return runs.get();
  }

  List<String> liveIds() {
    return new ArrayList<>(live.keySet());
  }

  List<String> removed() {
    return new ArrayList<>(removed);
  }

  /** The container stops: its server closes its connections, so calls in it fail. */
  void kill(String id) {
    live.get(id).stop();
  }

  @Override
  void ping() {}

  @Override
  boolean hasImage(String image) {
    return true;
  }

  @Override
  String start(
      String name, String image, List<String> env, Map<String, String> labels, DockerSpec spec) {
    int n = creates.incrementAndGet();
    Plan plan = plans.get(n);
    if (plan != null && plan.gate() != null) {
      try {
        if (!plan.gate().await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("create " + n + ": its gate did not open within 60s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw startError("interrupted while creating " + name);
      }
    }
    RuntimeException failure = plan != null ? plan.failure() : failEvery;
    if (failure != null) {
      throw failure;
    }
    int port = -1;
    for (String v : env) {
      if (v.startsWith("PORT=")) {
        port = Integer.parseInt(v.substring(5));
      }
    }
    String id = String.format("fake%04d%s", n, name.replace('-', '0'));
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
      ExecutorService handlers = Executors.newCachedThreadPool();
      server.setExecutor(handlers);
      server.createContext("/init", x -> answer(x, "{\"ok\":true}"));
      server.createContext("/run", x -> run(x, id));
      server.start();
      live.put(id, new Box(id, Map.copyOf(labels), server, handlers));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return id;
  }

  private void run(HttpExchange x, String id) throws IOException {
    x.getRequestBody().readAllBytes();
    runs.incrementAndGet();
    CountDownLatch hold = holdRuns;
    if (hold != null) {
      try {
        hold.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        x.close(); // killed
        return;
      }
    }
    answer(x, "{\"container\":\"" + id + "\"}");
  }

  private static void answer(HttpExchange x, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(200, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  @Override
  InspectContainerResponse.ContainerState state(String id) {
    Box b = live.get(id);
    if (b == null) {
      return null;
    }
    String json =
        b.running
            ? "{\"State\":{\"Running\":true}}"
            : "{\"State\":{\"Running\":false,\"ExitCode\":137,\"OOMKilled\":false}}";
    try {
      return JSON.readValue(json, InspectContainerResponse.class).getState();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String logTail(String id, int lines) {
    return "(fake log of " + id + ")";
  }

  @Override
  void removeQuietly(String id) {
    onRemove.accept(id);
    Box b = live.remove(id);
    if (b != null) {
      b.stop();
      removed.add(id);
    }
  }

  @Override
  long memoryUsed(String id) {
    return -1;
  }

  @Override
  List<Container> labelled(Map<String, String> labels) {
    List<Container> out = new ArrayList<>();
    for (Box b : live.values()) {
      if (b.labels.entrySet().containsAll(labels.entrySet())) {
        try {
          out.add(
              JSON.readValue(
                  JSON.writeValueAsString(Map.of("Id", b.id, "Labels", b.labels)),
                  Container.class));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
