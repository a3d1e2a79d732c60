package io.sluice.cluster.net;

import io.sluice.cluster.config.LinkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay for one target: a listener on 127.0.0.1 (an ephemeral port) whose accepted connections
 * are each relayed to the target through a {@link RelayConnection}. Both sockets of a relayed
 * connection have TCP_NODELAY set, so the relay adds no Nagle delay to small messages.
 */
final class Relay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Relay.class.getName());

  /** How long connecting to the target may take before the accepted connection is dropped. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final String name;
  private final HostPort target;
  private final LinkConfig link;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<RelayConnection> open = ConcurrentHashMap.newKeySet();
  private final RelayConnection.Counters counters = new RelayConnection.Counters();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param name names the threads, e.g. {@code sluice-link worker w1->10.0.0.2:7401}
   */
  Relay(String name, HostPort target, LinkConfig link) {
    this.name = name;
    this.target = target;
    this.link = link;
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException(name + ": cannot listen on 127.0.0.1 for the relay: " + e, e));
    }
    this.acceptor = new Thread(this::accept, name + " accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:port}, where components connect instead of the target. */
  String address() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + listener.getLocalPort();
  }

  LinkCounters counters() {
    return new LinkCounters(
        accepted.get(),
        counters.bytesOut().sum(),
        counters.chunksOut().sum(),
        counters.bytesIn().sum(),
        counters.chunksIn().sum());
  }

  /** Connections relayed now. */
  int openConnections() {
    return open.size();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(
            new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "{0}: cannot reach {1} ({2}); dropping the connection",
            name,
            target,
            e.toString());
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      long id = accepted.incrementAndGet();
      RelayConnection[] self = new RelayConnection[1];
      RelayConnection c =
          new RelayConnection(
              name + " #" + id, client, upstream, link, counters, () -> open.remove(self[0]));
      self[0] = c;
      open.add(c);
      if (closed) {
        c.close();
        return;
      }
      c.start();
    }
  }

  /** Stops listening, closes every relayed connection and waits (bounded) for their threads. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    List<RelayConnection> all = new ArrayList<>(open);
    all.forEach(RelayConnection::close);
    try {
      acceptor.join(2_000);
      for (RelayConnection c : all) {
        c.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable s) {
    try {
      s.close();
    } catch (Exception e) {
      // already closed: nothing left to release
    }
  }
}
