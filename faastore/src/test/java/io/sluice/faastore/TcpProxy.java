package io.sluice.faastore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback TCP relay a test can cut, to take a real server away from a client. */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  TcpProxy(String host, int port) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              try {
                while (true) {
                  Socket client = server.accept();
                  Socket upstream = new Socket(host, port);
                  sockets.add(client);
                  sockets.add(upstream);
                  relay(client, upstream);
                  relay(upstream, client);
                }
              } catch (IOException closed) {
                // cut() closed the server socket
              }
            },
            "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Closes every connection and stops accepting new ones. */
  void cut() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private static void relay(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException closed) {
                // either side went away
              }
            },
            "tcp-proxy-relay");
    t.setDaemon(true);
    t.start();
  }
}
