package io.sluice.cluster.net;

import io.sluice.cluster.config.LinkConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Emulated network links for one process (docs/experiments.md, Emulated links): every connection
 * the process opens to another cluster member goes through a local shaping relay that makes it cost
 * what a network would. For each target {@code host:port} it dials, {@link #route} starts a relay
 * listening on 127.0.0.1 (ephemeral port) and answers that address; each connection accepted there
 * is relayed to the target, each direction modelled as its own link ({@link LinkConfig}): a chunk
 * read at time {@code t} of {@code s} bytes departs at {@code max(t, previous departure) + s /
 * bandwidth} and is written at departure + latency. Links are per connection and per direction:
 * connections do not share bandwidth, and nothing is lost, reordered or jittered.
 *
 * <p>Threads are daemons named {@code sluice-link OWNER->TARGET ...}: one accepting per target, and
 * per connection a reader and (unless the link has neither latency nor a bandwidth limit) a writer
 * per direction. {@link #close()} stops listening, closes every relayed connection and waits for
 * its threads. Emulation needs the project's own transport only: no {@code netem}, no privileges.
 */
public final class LinkEmulator implements AddressRouter, AutoCloseable {
  /** Prefix of every thread name, for diagnostics and tests. */
  public static final String THREAD_PREFIX = "sluice-link ";

  private final String owner;
  private final LinkConfig link;
  private final Map<String, Relay> relays = new LinkedHashMap<>();
  private boolean closed;

  /**
   * @param owner names this process in thread names, e.g. {@code master} or {@code worker w1}
   * @param link the cost of every link
   */
  public LinkEmulator(String owner, LinkConfig link) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.link = Objects.requireNonNull(link, "link");
  }

  /** An emulator for {@code links}, or empty when there is none. */
  public static Optional<LinkEmulator> of(String owner, Optional<LinkConfig> links) {
    return links.map(l -> new LinkEmulator(owner, l));
  }

  /** The emulator as a router, or {@link AddressRouter#DIRECT} when empty. */
  public static AddressRouter router(Optional<LinkEmulator> emulator) {
    return emulator.<AddressRouter>map(e -> e).orElse(DIRECT);
  }

  public LinkConfig link() {
    return link;
  }

  /**
   * The local address of the relay to {@code hostPort}, started on first use; one relay per target,
   * shared by every connection to it (each connection is still its own link).
   *
   * @throws IllegalArgumentException when {@code hostPort} is not {@code HOST:PORT}
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public synchronized String route(String hostPort) {
    HostPort target = HostPort.parse(hostPort.trim());
    String key = target.toString();
    if (closed) {
      throw new IllegalStateException(
          "the link emulator of " + owner + " is closed; cannot relay to " + key);
    }
    return relays
        .computeIfAbsent(key, k -> new Relay(THREAD_PREFIX + owner + "->" + k, target, link))
        .address();
  }

  /** What every relay carried so far. */
  public synchronized LinkCounters counters() {
    return relays.values().stream()
        .map(Relay::counters)
        .reduce(LinkCounters.ZERO, LinkCounters::plus);
  }

  /** What the relay to each target carried so far, by target {@code host:port}. */
  public synchronized Map<String, LinkCounters> countersByTarget() {
    Map<String, LinkCounters> out = new LinkedHashMap<>();
    relays.forEach((target, r) -> out.put(target, r.counters()));
    return out;
  }

  /** Connections being relayed now, over every target. */
  public synchronized int openConnections() {
    return relays.values().stream().mapToInt(Relay::openConnections).sum();
  }

  /** Stops every relay: listeners closed, connections closed, their threads finished. */
  @Override
  public void close() {
    Map<String, Relay> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new LinkedHashMap<>(relays);
    }
    all.values().forEach(Relay::close);
  }

  @Override
  public String toString() {
    return "link emulator of " + owner + " (" + link + ")";
  }
}
