package io.sluice.bench.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The two loopback TCP servers the link benchmark measures against, on 127.0.0.1 with an ephemeral
 * port: an echo (writes back what it reads) and a sink (reads to the end of the stream, then
 * answers one byte). Each connection gets a daemon thread; {@link #close()} stops accepting.
 */
final class TcpServers implements AutoCloseable {
  private final ServerSocket server;
  private final boolean echo;

  private TcpServers(boolean echo) throws IOException {
    this.echo = echo;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept, "bench-link-" + (echo ? "echo" : "sink")).start();
  }

  static TcpServers echo() throws IOException {
    return new TcpServers(true);
  }

  static TcpServers sink() throws IOException {
    return new TcpServers(false);
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void accept() {
    while (true) {
      Socket s;
      try {
        s = server.accept();
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        return; // closed
      }
      daemon(() -> serve(s), "bench-link-conn").start();
    }
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[64 << 10];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (echo) {
          out.write(buf, 0, n);
        }
      }
      if (!echo) {
        out.write(1);
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
