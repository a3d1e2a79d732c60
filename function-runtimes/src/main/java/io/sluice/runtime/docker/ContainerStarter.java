package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start protocol of one function's containers: create and start a container of its image with a
 * reserved {@code PORT} (host network), wait until it listens on that port, and send the code to
 * {@code POST /init}; and what a failed start means to a workflow author. Blocking, so it runs on
 * the runtime's I/O threads; it touches no pool state except the {@link ContainerPool.Slot}'s id
 * and port, which the pool reads once the start is done.
 */
final class ContainerStarter {
  /** How long a container may take to listen on its port and answer /init. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final DockerFunctionRuntime rt;
  private final FunctionDef fn;
  private final DockerSpec spec;
  private final ContainerFailures failures;

  ContainerStarter(
      DockerFunctionRuntime rt, FunctionDef fn, DockerSpec spec, ContainerFailures failures) {
    this.rt = rt;
    this.fn = fn;
    this.spec = spec;
    this.failures = failures;
  }

  /**
   * Creates and starts the slot's container on a reserved port, setting {@code s.port} and then
   * {@code s.id}. Throws when the engine is unreachable or has no image.
   */
  void create(ContainerPool.Slot s) {
    DockerEngine engine = rt.engine();
    int port = ContainerPorts.reserve();
    s.port = port;
    List<String> env = new ArrayList<>();
    env.add("PORT=" + port);
    env.add("SLUICE_CONCURRENCY=" + spec.concurrency());
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    Map<String, String> labels = new HashMap<>(rt.ownerLabels());
    labels.put(DockerEngine.FUNCTION, fn.name());
    String id;
    try {
      String name =
          "sluice-"
              + fn.name().replaceAll("[^a-zA-Z0-9_.-]", "_")
              + "-"
              + java.util.UUID.randomUUID().toString().substring(0, 8);
      id = engine.start(name, spec.image(), env, labels, spec);
    } catch (NotFoundException e) {
      throw DockerFunctionRuntime.noImage(fn, spec.image(), e);
    }
    s.id = id;
    DockerStats.started();
  }

  /**
   * Waits until the created container listens on its port, then sends it the function's code when
   * the definition carries some. Throws when it exits, does not listen within {@link
   * #START_TIMEOUT}, or rejects the code.
   */
  void prepare(ContainerPool.Slot s) {
    awaitListening(rt.engine(), s);
    if (spec.code() != null) {
      init(s);
    }
  }

  /**
   * The failure the calls waiting for a container that did not start see: it names the function and
   * the image, and keeps the type and retryability of {@code e} when it is a function failure.
   */
  FunctionException failure(RuntimeException e) {
    String didNotStart =
        "function '" + fn.name() + "': its container (image " + spec.image() + ") did not start: ";
    if (e instanceof FunctionException f) {
      String msg = f.getMessage() == null ? "" : f.getMessage();
      if (msg.contains(spec.image())) {
        return f;
      }
      String own = "function '" + fn.name() + "': ";
      return new FunctionException(
          f.type(),
          didNotStart + (msg.startsWith(own) ? msg.substring(own.length()) : msg),
          f.retryable(),
          f);
    }
    return new FunctionException(
        FunctionException.FUNCTION_FAILED, didNotStart + e.getMessage(), true, e);
  }

  private void awaitListening(DockerEngine engine, ContainerPool.Slot s) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long nextCheck = 0;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port), 200);
        return;
      } catch (IOException notYet) {
        // keep waiting
      }
      if (System.nanoTime() >= nextCheck) {
        InspectContainerResponse.ContainerState st = engine.state(s.id);
        if (st == null || !Boolean.TRUE.equals(st.getRunning())) {
          throw failures.exited(null, s, st, "before it listened on port " + s.port);
        }
        nextCheck = System.nanoTime() + 250_000_000L;
      }
      if (System.nanoTime() >= deadline) {
        throw new FunctionException(
            FunctionException.FUNCTION_FAILED,
            "function '"
                + fn.name()
                + "': its container (image "
                + spec.image()
                + ") did not listen on port "
                + s.port
                + " within "
                + START_TIMEOUT.toSeconds()
                + "s; last lines of its log:\n"
                + engine.logTail(s.id, ContainerFailures.LOG_TAIL_LINES),
            true);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FunctionException(
            FunctionException.FUNCTION_FAILED, "interrupted while starting a container", true);
      }
    }
  }

  private void init(ContainerPool.Slot s) {
    ObjectNode value = DockerFunctionRuntime.JSON.createObjectNode();
    value.put("code", spec.code());
    value.put("main", spec.main());
    value.put("file", fn.settings().path("code").asText(fn.name()));
    ObjectNode body = DockerFunctionRuntime.JSON.createObjectNode();
    body.set("value", value);
    HttpResponse<byte[]> resp;
    try {
      resp =
          rt.http()
              .send(
                  ContainerCalls.post(s, "/init", body).timeout(START_TIMEOUT).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw failures.diagnose(null, s, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FunctionException(
          FunctionException.FUNCTION_FAILED, "interrupted while initialising a container", true);
    }
    if (resp.statusCode() != 200) {
      throw new FunctionException(
          FunctionException.BAD_CONFIGURATION,
          "function '"
              + fn.name()
              + "': its container (image "
              + spec.image()
              + ") rejected the code at /init (HTTP "
              + resp.statusCode()
              + "): "
              + ContainerFailures.errorText(resp.body()),
          false);
    }
  }
}
