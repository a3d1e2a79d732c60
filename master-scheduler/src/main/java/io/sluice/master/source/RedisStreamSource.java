package io.sluice.master.source;

import io.cloudevents.CloudEvent;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.sluice.cluster.config.SourceConfig;
import io.sluice.engine.events.EventOutcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis stream consumed by the master with a consumer group (docs/configuration.md, The sources
 * section): on its own thread, {@code XREADGROUP} in a loop ({@code batch} entries, blocking up to
 * {@code block}); each entry is decoded into a CloudEvent ({@link EntryDecoder}) and routed as
 * {@code POST /events} routes; it is acknowledged ({@code XACK}) only once routing completed. An
 * entry that is malformed, or that no instance takes and the master does not hold, is copied to the
 * dead-letter stream with the reason, then acknowledged; a held entry that expires unmatched is
 * copied there then. If routing fails the entry stays pending. Entries pending longer than {@code
 * claimIdle} — a consumer that died before acknowledging, or a failed routing — are claimed with
 * {@code XAUTOCLAIM} and delivered again: at-least-once, made effectively once by the master's
 * de-duplication by event source and id. The group is created with the stream ({@code XGROUP CREATE
 * ... 0 MKSTREAM}) if missing. The loop stops when the source is closed.
 */
public final class RedisStreamSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSource.class);
  static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(30);
  private static final long MAX_BACKOFF_MS = 5_000;
  private static final int MAX_CLAIM_PAGES = 100;

  private final SourceConfig config;
  private final String consumerName;
  private final Consumer<String> consumer;
  private final SourceSink sink;
  private final EntryDecoder decoder;
  private final SourceCounters counters = new SourceCounters();
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> reader;
  private final StatefulRedisConnection<String, String> writer;
  private final Thread thread;
  private volatile boolean running = true;

  private RedisStreamSource(
      SourceConfig config,
      String consumerName,
      SourceSink sink,
      RedisClient client,
      StatefulRedisConnection<String, String> reader,
      StatefulRedisConnection<String, String> writer) {
    this.config = config;
    this.consumerName = consumerName;
    this.consumer = Consumer.from(config.group(), consumerName);
    this.sink = sink;
    this.decoder = EntryDecoder.of(config.format(), config.eventType().orElse(null));
    this.client = client;
    this.reader = reader;
    this.writer = writer;
    this.thread = new Thread(this::run, "sluice-source-" + config.name());
    this.thread.setDaemon(true);
  }

  /**
   * Connects, creates the group if missing and starts consuming; {@code defaultConsumer} names this
   * process in the group when the source names no consumer.
   *
   * @throws IllegalStateException naming the source and server when Redis cannot be reached
   */
  public static RedisStreamSource start(
      SourceConfig config, String defaultConsumer, SourceSink sink) {
    // a blocking read must not time out; a user, password and rediss:// come from the URI
    RedisURI uri =
        io.sluice.cluster.redis.RedisUris.of(
            java.net.URI.create(config.uri()),
            io.sluice.cluster.config.RedisAccess.NONE,
            config.block().plusSeconds(10));
    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> reader = null;
    try {
      reader = client.connect();
      StatefulRedisConnection<String, String> writer = client.connect();
      RedisStreamSource s =
          new RedisStreamSource(
              config, config.consumer().orElse(defaultConsumer), sink, client, reader, writer);
      s.createGroup();
      s.thread.start();
      LOG.info(
          "source {}: consuming stream {} at {} as {} in group {}",
          config.name(),
          config.stream(),
          io.sluice.cluster.config.RedisAccess.masked(config.uri()),
          s.consumerName,
          config.group());
      return s;
    } catch (RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new IllegalStateException(
          "source "
              + config.name()
              + ": cannot consume stream "
              + config.stream()
              + " at "
              + io.sluice.cluster.config.RedisAccess.masked(config.uri())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public SourceConfig config() {
    return config;
  }

  public String consumerName() {
    return consumerName;
  }

  public SourceCounters counters() {
    return counters;
  }

  private void createGroup() {
    try {
      writer
          .sync()
          .xgroupCreate(
              XReadArgs.StreamOffset.from(config.stream(), "0"),
              config.group(),
              XGroupCreateArgs.Builder.mkstream());
    } catch (RedisCommandExecutionException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  private void run() {
    long backoff = 100;
    boolean ownPendingRead = false;
    long nextClaim = 0;
    long claimEvery = Math.max(100, config.claimIdle().toMillis() / 2);
    while (running) {
      try {
        if (!ownPendingRead) {
          readOwnPending();
          ownPendingRead = true;
        }
        long now = System.nanoTime();
        if (now - nextClaim >= 0) {
          claimIdle();
          nextClaim = now + TimeUnit.MILLISECONDS.toNanos(claimEvery);
        }
        List<StreamMessage<String, String>> entries =
            reader
                .sync()
                .xreadgroup(
                    consumer,
                    XReadArgs.Builder.count(config.batch()).block(config.block()),
                    XReadArgs.StreamOffset.lastConsumed(config.stream()));
        for (StreamMessage<String, String> m : entries) {
          handle(m);
        }
        backoff = 100;
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.warn(
            "source {}: reading stream {} failed: {}; retrying in {} ms",
            config.name(),
            config.stream(),
            e.toString(),
            backoff);
        if (!pause(backoff)) {
          break;
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  /** Entries this consumer read before (a previous run) and never acknowledged. */
  private void readOwnPending() {
    String from = "0";
    while (running) {
      List<StreamMessage<String, String>> entries =
          reader
              .sync()
              .xreadgroup(
                  consumer,
                  XReadArgs.Builder.count(config.batch()),
                  XReadArgs.StreamOffset.from(config.stream(), from));
      if (entries.isEmpty()) {
        return;
      }
      for (StreamMessage<String, String> m : entries) {
        handle(m);
        from = m.getId();
      }
    }
  }

  /** XAUTOCLAIM: entries pending longer than claimIdle, whichever consumer holds them. */
  private void claimIdle() {
    String cursor = "0-0";
    for (int page = 0; page < MAX_CLAIM_PAGES && running; page++) {
      ClaimedMessages<String, String> r =
          writer
              .sync()
              .xautoclaim(
                  config.stream(),
                  XAutoClaimArgs.Builder.xautoclaim(consumer, config.claimIdle(), cursor)
                      .count(config.batch()));
      for (StreamMessage<String, String> m : r.getMessages()) {
        counters.claimed.incrementAndGet();
        handle(m);
      }
      cursor = r.getId();
      if (cursor == null || cursor.equals("0-0")) {
        return;
      }
    }
  }

  private void handle(StreamMessage<String, String> m) {
    counters.read.incrementAndGet();
    StreamEntry entry =
        new StreamEntry(m.getStream(), m.getId(), m.getBody() == null ? Map.of() : m.getBody());
    CloudEvent event;
    try {
      event = decoder.decode(entry);
    } catch (MalformedEntryException e) {
      deadLetter(entry, "malformed: " + e.getMessage());
      counters.malformed.incrementAndGet();
      ack(entry);
      return;
    }
    EventOutcome outcome;
    try {
      outcome =
          sink.route(event, held -> expired(entry))
              .toCompletableFuture()
              .get(ROUTE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return;
    } catch (ExecutionException | TimeoutException e) {
      counters.failed.incrementAndGet();
      LOG.warn(
          "source {}: routing entry {} (event {}) failed: {}; it stays pending and is claimed"
              + " again after {}",
          config.name(),
          entry.id(),
          event.getId(),
          e.getCause() == null ? e.toString() : e.getCause().toString(),
          config.claimIdle());
      return;
    }
    if (!outcome.accepted()) {
      deadLetter(entry, "unmatched: " + outcome.detail());
      counters.unmatched.incrementAndGet();
    }
    ack(entry);
  }

  /** A held entry's hold time ended without a matching wait: it goes to the dead-letter stream. */
  private void expired(StreamEntry entry) {
    try {
      deadLetter(entry, "unmatched: held, and no wait matched it before its hold time ended");
      counters.expired.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.error(
          "source {}: entry {} expired unmatched and could not be dead-lettered to {}: {}",
          config.name(),
          entry.id(),
          config.deadLetter(),
          e.toString());
    }
  }

  private void deadLetter(StreamEntry entry, String reason) {
    Map<String, String> fields = new LinkedHashMap<>(entry.fields());
    fields.put("sluice.reason", reason);
    fields.put("sluice.stream", entry.stream());
    fields.put("sluice.entry", entry.id());
    fields.put("sluice.source", config.name());
    writer.sync().xadd(config.deadLetter(), fields);
    LOG.info(
        "source {}: entry {} dead-lettered to {}: {}",
        config.name(),
        entry.id(),
        config.deadLetter(),
        reason);
  }

  private void ack(StreamEntry entry) {
    writer.sync().xack(config.stream(), config.group(), entry.id());
    counters.acked.incrementAndGet();
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the loop (after the read under way returns, at most {@code block}) and disconnects. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Math.min(config.block().toMillis(), 5_000) + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
    writer.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
