package io.sluice.cluster.durable;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.sluice.cluster.api.ClusterException.Reason;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.model.format.Durations;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The journal of {@code durability: redis}, on Lettuce's asynchronous API over one connection:
 * callers are never blocked, and every write is one command or one pipelined batch (commands
 * written back to back, replies awaited together), so it costs one round trip.
 *
 * <p>Layout (docs/configuration.md, "durability"), with {@code P} the key prefix ({@code sluice:j:}
 * by default):
 *
 * <ul>
 *   <li>{@code P{<instanceId>}}: a hash per instance (the braces are a Redis Cluster hash tag, so
 *       all of an instance's fields live in one slot). Fields: {@code start} (the {@link
 *       InstanceRecord} as JSON), {@code c:<callKey>} (a {@link CallOutcome} as JSON, first writer
 *       wins: a Lua script does HSETNX then HGET in one round trip, by EVALSHA with a fallback to
 *       EVAL when Redis answers NOSCRIPT), {@code e:<edgeIndex>} (an {@link EdgeEvent} as JSON,
 *       HSETNX: kept once per edge) and {@code p:<worker>} (a part's result, base64).
 *   <li>{@code Prunning}: a sorted set of the instances started and not ended, scored by their
 *       start (epoch ms). {@link #ended} removes the instance from it and sets the hash to expire
 *       after the retention.
 * </ul>
 *
 * <p>Redis away: Lettuce keeps reconnecting and holds commands issued meanwhile; a command not
 * answered within {@code redisWait} fails its stage with a {@link JournalException} naming Redis,
 * its address and the wait. {@link #reachable()} tells whether the connection is up now.
 */
public final class RedisJournal implements Journal {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "sluice:j:";

  static final String START = "start";
  static final String CALL = "c:";
  static final String EDGE = "e:";
  static final String PART = "p:";
  static final String MOVE = "m:";
  static final String END = "end";

  /**
   * KEYS[1] hash; ARGV field, value. Nil when this value won, else the value that had won; a losing
   * write is counted in the hash's field {@value #DUPLICATES} (a call made twice: by a worker
   * wrongly declared dead and its heir, or a call running when its worker died).
   */
  static final String CALLED_LUA =
      "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return false end\n"
          + "redis.call('HINCRBY', KEYS[1], 'dup', 1)\n"
          + "return redis.call('HGET', KEYS[1], ARGV[1])\n";

  /** The instance hash's count of call outcomes offered after one was recorded. */
  public static final String DUPLICATES = "dup";

  private static final String CALLED_SHA = sha1(CALLED_LUA);

  /** The longest pause between reconnection attempts: Redis back is noticed within a second. */
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  private final ClientResources resources;
  private final RedisClient client;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String where;
  private final Duration redisWait;
  private final long retentionMillis;
  private final String prefix;
  private final String runningKey;

  private RedisJournal(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String where,
      Duration redisWait,
      Duration retention,
      String prefix) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.where = where;
    this.redisWait = redisWait;
    this.retentionMillis = Math.max(1, retention.toMillis());
    this.prefix = prefix;
    this.runningKey = prefix + "running";
  }

  /**
   * Connects to the Redis at {@code uri}. Commands wait up to {@code redisWait} (while Redis is
   * away too); an ended instance's hash is kept for {@code retention}.
   *
   * @throws JournalException when Redis cannot be reached now
   */
  public static RedisJournal open(
      URI uri, Duration redisWait, Duration retention, String keyPrefix) {
    return open(uri, io.sluice.cluster.config.RedisAccess.NONE, redisWait, retention, keyPrefix);
  }

  /**
   * The same, logging in with {@code access} (user, password file, TLS) besides what the URI says.
   */
  public static RedisJournal open(
      URI uri,
      io.sluice.cluster.config.RedisAccess access,
      Duration redisWait,
      Duration retention,
      String keyPrefix) {
    checkPrefix(keyPrefix);
    if (redisWait.isZero() || redisWait.isNegative() || retention.isNegative()) {
      throw new IllegalArgumentException("redisWait must be positive and retention not negative");
    }
    String where = address(uri);
    RedisURI redisUri;
    try {
      redisUri = io.sluice.cluster.redis.RedisUris.of(uri, access, redisWait);
    } catch (IllegalArgumentException e) {
      throw new JournalException(
          Reason.UNAVAILABLE, "durability: Redis at " + where + ": " + e.getMessage(), e);
    }
    ClientResources resources =
        DefaultClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, redisUri);
    client.setOptions(
        io.sluice.cluster.redis.RedisUris.trust(ClientOptions.builder(), access)
            .autoReconnect(true)
            // held while disconnected and sent on reconnect; the timeout below bounds the wait
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(redisWait))
            .socketOptions(SocketOptions.builder().connectTimeout(redisWait).build())
            .build());
    try {
      return new RedisJournal(
          resources,
          client,
          client.connect(StringCodec.UTF8),
          where,
          redisWait,
          retention,
          keyPrefix);
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw new JournalException(
          Reason.UNAVAILABLE,
          "durability: Redis at " + where + " is not reachable: " + rootMessage(e),
          e);
    }
  }

  /** Checks a key prefix: non-empty, without braces (they would break the hash tag). */
  public static void checkPrefix(String keyPrefix) {
    if (keyPrefix == null
        || keyPrefix.isEmpty()
        || keyPrefix.contains("{")
        || keyPrefix.contains("}")) {
      throw new IllegalArgumentException(
          "durability keyPrefix must be non-empty without braces, got '" + keyPrefix + "'");
    }
  }

  /** {@code redis://HOST:PORT} without any password, for messages. */
  static String address(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  @Override
  public boolean enabled() {
    return true;
  }

  /** Whether the connection to Redis is open now (the master refuses new instances if not). */
  public boolean reachable() {
    return connection.isOpen();
  }

  /** The hash key of an instance. */
  public String instanceKey(String instanceId) {
    return prefix + "{" + instanceId + "}";
  }

  /** The sorted set of running instances. */
  public String runningKey() {
    return runningKey;
  }

  @Override
  public CompletionStage<Void> started(InstanceRecord record) {
    return guard(
        "recording the start of instance " + record.instanceId(),
        () -> {
          String json = JournalCodec.start(record);
          var put = redis.hset(instanceKey(record.instanceId()), START, json);
          var add = redis.zadd(runningKey, (double) record.startedAtMillis(), record.instanceId());
          return CompletableFuture.allOf(put.toCompletableFuture(), add.toCompletableFuture());
        });
  }

  @Override
  public CompletionStage<CallOutcome> called(
      String instanceId, String callKey, CallOutcome outcome) {
    String what = "recording call " + callKey + " of instance " + instanceId;
    return guard(
        what,
        () -> {
          String[] keys = {instanceKey(instanceId)};
          String json = JournalCodec.call(outcome);
          CompletableFuture<String> sha =
              redis
                  .<String>evalsha(CALLED_SHA, ScriptOutputType.VALUE, keys, CALL + callKey, json)
                  .toCompletableFuture();
          return sha.handle(
                  (won, e) -> {
                    if (e != null && unwrap(e) instanceof RedisNoScriptException) {
                      // Redis lost its script cache (restart, SCRIPT FLUSH): send the script
                      return redis
                          .<String>eval(
                              CALLED_LUA, ScriptOutputType.VALUE, keys, CALL + callKey, json)
                          .toCompletableFuture();
                    }
                    return e != null
                        ? CompletableFuture.<String>failedFuture(e)
                        : CompletableFuture.completedFuture(won);
                  })
              .thenCompose(f -> f)
              .thenApply(had -> had == null ? outcome : JournalCodec.call(had));
        });
  }

  @Override
  public CompletionStage<Void> accepted(List<EdgeEvent> edges) {
    if (edges.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, List<EdgeEvent>> byInstance = new LinkedHashMap<>();
    for (EdgeEvent e : edges) {
      byInstance.computeIfAbsent(e.instanceId(), k -> new ArrayList<>()).add(e);
    }
    return guard(
        "recording " + edges.size() + " accepted edge(s) of " + byInstance.keySet(),
        () -> {
          List<CompletableFuture<Boolean>> writes = new ArrayList<>(edges.size());
          byInstance.forEach(
              (id, list) -> {
                String key = instanceKey(id);
                for (EdgeEvent e : list) {
                  writes.add(
                      redis
                          .hsetnx(key, EDGE + e.edge(), JournalCodec.edge(e))
                          .toCompletableFuture());
                }
              });
          return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        });
  }

  @Override
  public CompletionStage<Void> partEnded(String instanceId, String partWorker, byte[] result) {
    return guard(
        "recording the end of worker " + partWorker + "'s part of instance " + instanceId,
        () ->
            redis
                .hset(instanceKey(instanceId), PART + partWorker, JournalCodec.bytes(result))
                .toCompletableFuture()
                .thenApply(n -> null));
  }

  @Override
  public CompletionStage<Void> partMoved(String instanceId, String partWorker, String holder) {
    return guard(
        "recording that worker " + partWorker + "'s part of instance " + instanceId + " moved",
        () ->
            redis
                .hset(instanceKey(instanceId), MOVE + partWorker, holder)
                .toCompletableFuture()
                .thenApply(n -> null));
  }

  @Override
  public CompletionStage<Void> workflowRegistered(String key, byte[] registration) {
    return guard(
        "recording the registration of " + key,
        () ->
            redis
                .hset(prefix + "workflows", key, JournalCodec.bytes(registration))
                .toCompletableFuture()
                .thenApply(n -> null));
  }

  @Override
  public CompletionStage<List<byte[]>> workflows() {
    return guard(
        "reading the registered workflows",
        () ->
            redis
                .hgetall(prefix + "workflows")
                .toCompletableFuture()
                .thenApply(
                    m -> {
                      List<byte[]> out = new ArrayList<>(m.size());
                      new java.util.TreeMap<>(m)
                          .values()
                          .forEach(v -> out.add(JournalCodec.bytes(v)));
                      return out;
                    }));
  }

  @Override
  public String describe() {
    return "Redis at " + where;
  }

  @Override
  public CompletionStage<Void> ended(String instanceId, byte[] finalStatus) {
    return guard(
        "recording the end of instance " + instanceId,
        () -> {
          var end = redis.hset(instanceKey(instanceId), END, JournalCodec.bytes(finalStatus));
          var remove = redis.zrem(runningKey, instanceId);
          var expire = redis.pexpire(instanceKey(instanceId), retentionMillis);
          return CompletableFuture.allOf(
              end.toCompletableFuture(),
              remove.toCompletableFuture(),
              expire.toCompletableFuture());
        });
  }

  @Override
  public CompletionStage<Void> ended(String instanceId) {
    return guard(
        "recording the end of instance " + instanceId,
        () -> {
          var remove = redis.zrem(runningKey, instanceId);
          var expire = redis.pexpire(instanceKey(instanceId), retentionMillis);
          return CompletableFuture.allOf(
              remove.toCompletableFuture(), expire.toCompletableFuture());
        });
  }

  /**
   * Reads the instance, then in one pipelined batch deletes its failed call outcomes, edges, part
   * ends, moves and end, removes its expiry and adds it to the running set (the instance has ended:
   * nothing writes to it meanwhile but a late outcome of a cancelled call, which the new run's
   * first-writer-wins record may then answer).
   */
  @Override
  public CompletionStage<Optional<Recorded>> redrive(String instanceId) {
    String key = instanceKey(instanceId);
    return guard(
        "preparing the redrive of instance " + instanceId,
        () ->
            redis
                .hgetall(key)
                .toCompletableFuture()
                .thenCompose(
                    fields -> {
                      Optional<Recorded> had = recorded(fields);
                      if (had.isEmpty() || had.get().start() == null) {
                        return CompletableFuture.completedFuture(Optional.<Recorded>empty());
                      }
                      List<String> drop = new ArrayList<>();
                      for (Map.Entry<String, String> f : fields.entrySet()) {
                        String k = f.getKey();
                        if ((k.startsWith(CALL) && JournalCodec.call(f.getValue()).failed())
                            || k.startsWith(EDGE)
                            || k.startsWith(PART)
                            || k.startsWith(MOVE)
                            || k.equals(END)) {
                          drop.add(k);
                        }
                      }
                      Recorded r = had.get();
                      List<CompletableFuture<?>> writes = new ArrayList<>();
                      if (!drop.isEmpty()) {
                        writes.add(
                            redis.hdel(key, drop.toArray(String[]::new)).toCompletableFuture());
                      }
                      writes.add(redis.persist(key).toCompletableFuture());
                      writes.add(
                          redis
                              .zadd(runningKey, (double) r.start().startedAtMillis(), instanceId)
                              .toCompletableFuture());
                      Map<String, CallOutcome> kept = new LinkedHashMap<>(r.calls());
                      kept.values().removeIf(CallOutcome::failed);
                      return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                          .thenApply(
                              v ->
                                  Optional.of(
                                      new Recorded(
                                          r.start(), kept, List.of(), Map.of(), Map.of(), null)));
                    }));
  }

  @Override
  public CompletionStage<Optional<Recorded>> load(String instanceId) {
    return guard(
        "loading instance " + instanceId,
        () ->
            redis.hgetall(instanceKey(instanceId)).toCompletableFuture().thenApply(this::recorded));
  }

  private Optional<Recorded> recorded(Map<String, String> fields) {
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    InstanceRecord start = null;
    Map<String, CallOutcome> calls = new LinkedHashMap<>();
    List<EdgeEvent> edges = new ArrayList<>();
    Map<String, byte[]> parts = new LinkedHashMap<>();
    Map<String, String> moves = new LinkedHashMap<>();
    byte[] end = null;
    for (Map.Entry<String, String> f : fields.entrySet()) {
      String k = f.getKey();
      if (k.equals(START)) {
        start = JournalCodec.start(f.getValue());
      } else if (k.startsWith(CALL)) {
        calls.put(k.substring(CALL.length()), JournalCodec.call(f.getValue()));
      } else if (k.startsWith(EDGE)) {
        edges.add(JournalCodec.edge(f.getValue()));
      } else if (k.startsWith(PART)) {
        parts.put(k.substring(PART.length()), JournalCodec.bytes(f.getValue()));
      } else if (k.equals(END)) {
        end = JournalCodec.bytes(f.getValue());
      } else if (k.startsWith(MOVE)) {
        moves.put(k.substring(MOVE.length()), f.getValue());
      }
    }
    edges.sort(Comparator.comparingInt(EdgeEvent::edge));
    return Optional.of(new Recorded(start, calls, edges, parts, moves, end));
  }

  @Override
  public CompletionStage<List<InstanceRecord>> running() {
    return guard(
        "listing running instances",
        () ->
            redis
                .zrange(runningKey, 0, -1)
                .toCompletableFuture()
                .thenCompose(
                    ids -> {
                      List<CompletableFuture<String>> starts = new ArrayList<>(ids.size());
                      for (String id : ids) {
                        starts.add(redis.hget(instanceKey(id), START).toCompletableFuture());
                      }
                      return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
                          .thenApply(
                              v -> {
                                List<InstanceRecord> out = new ArrayList<>(starts.size());
                                for (CompletableFuture<String> s : starts) {
                                  String json = s.join();
                                  if (json != null) { // its start write was lost: nothing to run
                                    out.add(JournalCodec.start(json));
                                  }
                                }
                                return out;
                              });
                    }));
  }

  /** Closes the connection and shuts the client and its threads down. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // closed already (a journal shared by several workers in one JVM)
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisJournal[" + where + ", prefix " + prefix + "]";
  }

  /**
   * Runs {@code op}, mapping any failure (thrown or of its stage) to a {@link JournalException}.
   */
  private <T> CompletionStage<T> guard(String what, Supplier<CompletableFuture<T>> op) {
    CompletableFuture<T> out = new CompletableFuture<>();
    attempt(what, op, System.nanoTime() + redisWait.toNanos(), out);
    return out;
  }

  /**
   * Runs {@code op}; a command cut by a lost connection (Redis stopped or restarted while it was in
   * flight) is sent again every 100 ms until {@code redisWait} from the first attempt has passed —
   * every journal write is idempotent (a repeated call outcome only counts in {@code dup}).
   */
  private <T> void attempt(
      String what, Supplier<CompletableFuture<T>> op, long deadline, CompletableFuture<T> out) {
    CompletableFuture<T> stage;
    try {
      stage = op.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (v, e) -> {
          if (e == null) {
            out.complete(v);
            return;
          }
          Throwable cause = unwrap(e);
          boolean cut =
              cause instanceof java.io.IOException
                  || cause instanceof io.lettuce.core.RedisConnectionException;
          if (cut && !closed.get() && System.nanoTime() + RETRY_NANOS < deadline) {
            CompletableFuture.delayedExecutor(RETRY_NANOS, TimeUnit.NANOSECONDS)
                .execute(() -> attempt(what, op, deadline, out));
            return;
          }
          out.completeExceptionally(map(e, what));
        });
  }

  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private JournalException map(Throwable error, String what) {
    Throwable e = unwrap(error);
    if (e instanceof JournalException je) {
      return je;
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new JournalException(
          Reason.UNAVAILABLE,
          "durability: Redis at "
              + where
              + " did not answer within "
              + Durations.format(redisWait)
              + " ("
              + what
              + ")",
          e);
    }
    if (e instanceof RedisCommandExecutionException) {
      return new JournalException(
          Reason.REFUSED,
          "durability: Redis at " + where + " refused " + what + ": " + e.getMessage(),
          e);
    }
    if (e instanceof RedisException) {
      return new JournalException(
          Reason.UNAVAILABLE,
          "durability: Redis at " + where + " failed " + what + ": " + rootMessage(e),
          e);
    }
    if (e instanceof java.io.IOException) {
      return new JournalException(
          Reason.UNAVAILABLE,
          "durability: Redis at " + where + " failed " + what + ": " + rootMessage(e),
          e);
    }
    return new JournalException(
        Reason.REFUSED,
        "durability: " + what + " on Redis at " + where + " failed: " + rootMessage(e),
        e);
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }

  private static String sha1(String script) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
