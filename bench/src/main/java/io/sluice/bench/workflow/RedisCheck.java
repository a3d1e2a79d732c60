package io.sluice.bench.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Finds the Redis server a sweep with {@code --store tiered|redis} needs ({@code --redis
 * HOST:PORT}, else 127.0.0.1:{@code $SLUICE_REDIS_PORT}) and checks that it answers PING before any
 * cluster starts, so a missing Redis is one clear error instead of failed instances.
 */
final class RedisCheck {
  private RedisCheck() {}

  /** The address as HOST:PORT, after a PONG; a command-line error saying what to do otherwise. */
  static String require(CommandLine cl, String redis) {
    String address = redis;
    String from = "--redis";
    if (address == null) {
      String port = System.getenv("SLUICE_REDIS_PORT");
      if (port == null || port.isBlank()) {
        throw new ParameterException(
            cl,
            "--store tiered|redis needs Redis: give --redis HOST:PORT or set SLUICE_REDIS_PORT"
                + " (scripts/services.sh start DIR starts one; scripts/experiment.sh does it"
                + " itself)");
      }
      address = "127.0.0.1:" + port.trim();
      from = "SLUICE_REDIS_PORT";
    }
    if (address.startsWith("redis://")) {
      address = address.substring("redis://".length());
    }
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (RuntimeException e) {
      throw new ParameterException(
          cl, from + " must be HOST:PORT (e.g. 127.0.0.1:16379), got '" + address + "'");
    }
    String host = colon <= 0 ? "127.0.0.1" : address.substring(0, colon);
    String why = ping(host, port);
    if (why != null) {
      throw new ParameterException(
          cl,
          "--store tiered|redis needs Redis, and none answers at "
              + host
              + ":"
              + port
              + " (from "
              + from
              + "): "
              + why);
    }
    return host + ":" + port;
  }

  /** Null when {@code PING} gets {@code +PONG} within 2 s, else what went wrong. */
  static String ping(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(2000);
      OutputStream o = s.getOutputStream();
      o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int n = in.read(buf);
      String answer = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).trim();
      return answer.startsWith("+PONG") ? null : "it answered '" + answer + "' to PING";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
