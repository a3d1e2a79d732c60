package io.sluice.cluster.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo server on 127.0.0.1 (ephemeral port): writes back what it reads, closes at EOF. */
final class EchoServer implements AutoCloseable {
  private final ServerSocket server;

  EchoServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "echo-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
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
      Thread t =
          new Thread(
              () -> {
                try (s;
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream()) {
                  byte[] buf = new byte[64 << 10];
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                  }
                } catch (IOException e) {
                  // the client went away
                }
              },
              "echo-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
