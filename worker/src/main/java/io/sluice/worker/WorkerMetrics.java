package io.sluice.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.cluster.api.Transfers;
import io.sluice.faastore.DataStore;
import io.sluice.faastore.MemoryBudget;
import io.sluice.runtime.InvocationListener;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A worker's figures on {@code /metrics} (docs/metrics.md): function invocations and their latency
 * by function, runtime and outcome; edge events to and from peers and the peer streams' queues;
 * FaaStore bytes by tier, its budget and use; slots. Counters the worker already keeps are read at
 * scrape time; only invocations are counted as they happen (an {@link InvocationListener} its
 * runtimes are built with).
 */
public final class WorkerMetrics {
  /**
   * Latency histogram buckets, seconds: fixed, so that a series costs 17 buckets whatever the
   * function (a percentile histogram would publish ~70).
   */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300),
    Duration.ofSeconds(900)
  };

  private WorkerMetrics() {}

  /**
   * Counts invocations into {@code registry}: {@code sluice_node_invocations_total} and {@code
   * sluice_node_invocation_seconds} by {@code function}, {@code runtime} and {@code outcome}
   * ({@code ok} or {@code error}). Meters are made once per function and runtime; a call then costs
   * a counter increment and a timer record.
   */
  public static InvocationListener invocations(MeterRegistry registry) {
    return invocations(registry, MAX_FUNCTIONS);
  }

  /**
   * The most functions with series of their own on one worker. A FaaSFlow or WfCommons trace names
   * a function per node (genome: 50, Montage: 1,312), and each function costs about 20 series per
   * outcome; past this many, further functions share {@code function="_other"} (per runtime).
   */
  public static final int MAX_FUNCTIONS = 200;

  /** The function label of the functions beyond {@link #MAX_FUNCTIONS}. */
  public static final String OTHER = "_other";

  static InvocationListener invocations(MeterRegistry registry, int maxFunctions) {
    // asked once per runtime set and function: a name may come again from another deployment
    java.util.Set<String> named = new java.util.HashSet<>();
    return (runtime, function) -> {
      boolean own;
      synchronized (named) {
        own = named.contains(function) || named.size() < maxFunctions && named.add(function);
      }
      return new Probe(registry, runtime, own ? function : OTHER);
    };
  }

  /** One function's meters: those of errors made at its first error (most functions have none). */
  private static final class Probe implements InvocationListener.Probe {
    private final MeterRegistry registry;
    private final String runtime;
    private final String function;
    private final Meters ok;
    private volatile Meters error;

    Probe(MeterRegistry registry, String runtime, String function) {
      this.registry = registry;
      this.runtime = runtime;
      this.function = function;
      this.ok = meters(registry, runtime, function, "ok");
    }

    @Override
    public void ended(long nanos, Throwable failure) {
      if (failure == null) {
        ok.record(nanos);
        return;
      }
      Meters e = error;
      if (e == null) {
        e = meters(registry, runtime, function, "error"); // the registry returns one per tag set
        error = e;
      }
      e.record(nanos);
    }
  }

  /** One outcome's counter and timer. */
  private record Meters(Counter count, Timer latency) {
    void record(long nanos) {
      count.increment();
      latency.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static Meters meters(
      MeterRegistry registry, String runtime, String function, String outcome) {
    Counter c =
        Counter.builder("sluice.node.invocations")
            .description("function invocations, by function, runtime and outcome")
            .tag("function", function)
            .tag("runtime", runtime)
            .tag("outcome", outcome)
            .register(registry);
    Timer t =
        Timer.builder("sluice.node.invocation")
            .description("time from a function's invoke until its result or failure")
            .tag("function", function)
            .tag("runtime", runtime)
            .tag("outcome", outcome)
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    return new Meters(c, t);
  }

  /**
   * The worker's own figures, read at scrape time: peer links (one series per peer in {@code
   * peers}), events from peers, FaaStore and slots.
   */
  public static void bind(
      MeterRegistry registry, WorkerNode node, Collection<String> peers, int slots) {
    for (String peer : peers) {
      if (peer.equals(node.workerId())) {
        continue;
      }
      PeerLinks links = node.peers();
      peerCounter(registry, "sent", peer, links, c -> c.sent(), "edge events sent to a peer");
      peerCounter(
          registry, "acked", peer, links, c -> c.acked(), "edge events a peer acknowledged");
      peerCounter(
          registry,
          "resent",
          peer,
          links,
          c -> c.resent(),
          "edge events sent again on a new stream after the old one broke");
      FunctionCounter.builder("sluice.peer.reconnects", links, l -> l.counters(peer).reconnects())
          .description("streams to a peer opened after a previous one ended")
          .tag("peer", peer)
          .register(registry);
      Gauge.builder("sluice.peer.queue.depth", links, l -> l.counters(peer).unacked())
          .description("edge events queued or sent to a peer and not acknowledged yet")
          .tag("peer", peer)
          .register(registry);
    }
    FunctionCounter.builder("sluice.peer.events.received", node, n -> server(n, true))
        .description("edge events received from peers and handed to the engine")
        .register(registry);
    FunctionCounter.builder("sluice.peer.events.rejected", node, n -> server(n, false))
        .description("edge events from peers that were malformed or refused (logged and acked)")
        .register(registry);
    store(registry, node);
    Gauge.builder("sluice.slots", () -> slots)
        .description("functions the worker runs at once (its configured slots)")
        .register(registry);
    Gauge.builder("sluice.slots.used", node, n -> n.engine().activeInvocations())
        .description("function calls running on the worker now")
        .register(registry);
    Gauge.builder(
            "sluice.slots.free", node, n -> Math.max(0, slots - n.engine().activeInvocations()))
        .description("slots not taken by a running function call")
        .register(registry);
  }

  private static double server(WorkerNode node, boolean received) {
    WorkerServer s = node.server();
    if (s == null) {
      return 0;
    }
    return received ? s.eventsReceived() : s.eventsRejected();
  }

  private static void peerCounter(
      MeterRegistry registry,
      String what,
      String peer,
      PeerLinks links,
      ToDoubleFunction<PeerCounters> f,
      String description) {
    FunctionCounter.builder(
            "sluice.peer.events." + what, links, l -> f.applyAsDouble(l.counters(peer)))
        .description(description)
        .tag("peer", peer)
        .register(registry);
  }

  /** FaaStore: bytes moved by tier, the memory tier's use (its budget is in memoryMetrics). */
  private static void store(MeterRegistry registry, WorkerNode node) {
    tier(registry, node, "local", Transfers::localBytes);
    tier(registry, node, "peer", Transfers::peerBytes);
    tier(registry, node, "redis", Transfers::redisBytes);
    Gauge.builder(
            "sluice.faastore.used",
            node,
            n -> n.store().flatMap(DataStore::memoryBudget).map(MemoryBudget::usedBytes).orElse(0L))
        .baseUnit("bytes")
        .description("bytes of values the worker's FaaStore holds in memory now")
        .register(registry);
  }

  private static void tier(
      MeterRegistry registry, WorkerNode node, String tier, ToDoubleFunction<Transfers> f) {
    FunctionCounter.builder(
            "sluice.faastore",
            node,
            n -> f.applyAsDouble(n.store().map(DataStore::transferTotals).orElse(Transfers.NONE)))
        .baseUnit("bytes")
        .description("bytes of intermediate data moved through the FaaStore, by tier")
        .tag("tier", tier)
        .register(registry);
  }
}
