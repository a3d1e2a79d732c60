package io.sluice.runtime.docker;

import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The 127.0.0.1 ports this JVM hands to containers, each to one container only. */
final class ContainerPorts {
  private ContainerPorts() {}

  /**
   * Ports handed to containers that may not listen yet, and when: the OS may give a port it just
   * gave (and that is still free) to the next caller, and two containers told the same port means
   * the second one's /init reaches the first. Seen with dozens of containers starting at once
   * (genome on 3 workers in one JVM). Kept until any container must be listening.
   */
  private static final Map<Integer, Long> ISSUED = new ConcurrentHashMap<>();

  private static final long ISSUED_NANOS =
      ContainerStarter.START_TIMEOUT.toNanos() + 5_000_000_000L;

  /** A free loopback port not handed to another container that may not listen yet. */
  static int reserve() {
    long now = System.nanoTime();
    ISSUED.values().removeIf(t -> now - t > ISSUED_NANOS);
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = ss.getLocalPort();
      } catch (IOException e) {
        throw new FunctionException(
            FunctionException.FUNCTION_FAILED, "no free port on 127.0.0.1: " + e, true);
      }
      if (ISSUED.putIfAbsent(port, now) == null) {
        return port;
      }
    }
    throw new FunctionException(
        FunctionException.FUNCTION_FAILED,
        "no free port on 127.0.0.1 that was not just given to another container",
        true);
  }
}
