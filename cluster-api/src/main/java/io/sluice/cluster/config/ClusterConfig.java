package io.sluice.cluster.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cluster: its master, workers, heartbeat, partitioner, store, emulated links, HTTP limits, event
 * holding, event sources and durability (docs/configuration.md). Checked when built: at least one
 * worker, unique worker ids, no two processes on one port of one host.
 *
 * @param name the cluster's name (run folders and logs are named after it)
 * @param source the file it was read from, for messages ({@code <built>} when built in code)
 * @param links the cost every master-worker, worker-worker and worker-Redis connection pays, or
 *     empty for none (the {@code links:} section; empty when built with null)
 * @param http the HTTP endpoints' limits (the {@code http:} section; defaults when built with null)
 * @param events how the master holds events that match no wait yet (the {@code events:} section;
 *     defaults when built with null)
 * @param sources the event sources the master consumes (the {@code sources:} section; none when
 *     built with null)
 * @param durability whether instances survive a dead process (the {@code durability:} section; none
 *     when built with null)
 * @param progress how workers report node steps to the master (the {@code progress:} section;
 *     defaults when built with null)
 * @param logs what workers keep of function calls' logs (the {@code logs:} section; defaults when
 *     built with null)
 * @param limits what the master accepts from clients (the {@code limits:} section; defaults when
 *     built with null)
 * @param security client authentication (the {@code security:} section; none when built with null)
 */
public record ClusterConfig(
    String name,
    String source,
    MasterConfig master,
    HeartbeatConfig heartbeat,
    PartitionerKind partitioner,
    StoreConfig store,
    Optional<LinkConfig> links,
    List<WorkerConfig> workers,
    HttpConfig http,
    EventsConfig events,
    List<SourceConfig> sources,
    DurabilityConfig durability,
    ProgressConfig progress,
    LogsConfig logs,
    LimitsConfig limits,
    SecurityConfig security) {

  /** Overrides the master's {@code host:grpcPort} (e.g. for workers on other machines). */
  public static final String ENV_MASTER = "SLUICE_MASTER";

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    source = source == null ? "<built>" : source;
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(partitioner, "partitioner");
    Objects.requireNonNull(store, "store");
    links = links == null ? Optional.empty() : links;
    http = http == null ? HttpConfig.DEFAULT : http;
    workers = List.copyOf(workers);
    events = events == null ? EventsConfig.DEFAULT : events;
    sources = sources == null ? List.of() : List.copyOf(sources);
    durability = durability == null ? DurabilityConfig.NONE : durability;
    progress = progress == null ? ProgressConfig.DEFAULT : progress;
    logs = logs == null ? LogsConfig.DEFAULT : logs;
    limits = limits == null ? LimitsConfig.DEFAULT : limits;
    security = security == null ? SecurityConfig.NONE : security;
    if (durability.enabled() && store.redisUri().isEmpty()) {
      throw new IllegalArgumentException(
          "cluster " + name + ": durability: redis needs store.redis (redis://HOST:PORT)");
    }
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("cluster " + name + " has no workers; list at least one");
    }
    Set<String> ids = new HashSet<>();
    for (WorkerConfig w : workers) {
      if (!ids.add(w.id())) {
        throw new IllegalArgumentException("cluster " + name + ": duplicate worker id " + w.id());
      }
    }
    List<PortClashes.Binding> bindings = PortClashes.of(master, workers);
    for (PortClashes.Clash c : PortClashes.find(bindings)) {
      throw new IllegalArgumentException(
          "cluster " + name + ": " + PortClashes.describe(bindings, c));
    }
  }

  /** A cluster without a {@code security:} section. */
  public ClusterConfig(
      String name,
      String source,
      MasterConfig master,
      HeartbeatConfig heartbeat,
      PartitionerKind partitioner,
      StoreConfig store,
      Optional<LinkConfig> links,
      List<WorkerConfig> workers,
      HttpConfig http,
      EventsConfig events,
      List<SourceConfig> sources,
      DurabilityConfig durability,
      ProgressConfig progress,
      LogsConfig logs,
      LimitsConfig limits) {
    this(
        name,
        source,
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        http,
        events,
        sources,
        durability,
        progress,
        logs,
        limits,
        SecurityConfig.NONE);
  }

  /** A cluster without a {@code limits:} section (defaults). */
  public ClusterConfig(
      String name,
      String source,
      MasterConfig master,
      HeartbeatConfig heartbeat,
      PartitionerKind partitioner,
      StoreConfig store,
      Optional<LinkConfig> links,
      List<WorkerConfig> workers,
      HttpConfig http,
      EventsConfig events,
      List<SourceConfig> sources,
      DurabilityConfig durability,
      ProgressConfig progress,
      LogsConfig logs) {
    this(
        name,
        source,
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        http,
        events,
        sources,
        durability,
        progress,
        logs,
        LimitsConfig.DEFAULT);
  }

  /** A cluster without {@code progress:} and {@code logs:} sections (defaults). */
  public ClusterConfig(
      String name,
      String source,
      MasterConfig master,
      HeartbeatConfig heartbeat,
      PartitionerKind partitioner,
      StoreConfig store,
      Optional<LinkConfig> links,
      List<WorkerConfig> workers,
      HttpConfig http,
      EventsConfig events,
      List<SourceConfig> sources,
      DurabilityConfig durability) {
    this(
        name,
        source,
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        http,
        events,
        sources,
        durability,
        ProgressConfig.DEFAULT,
        LogsConfig.DEFAULT);
  }

  /** A cluster without a {@code durability:} section (none). */
  public ClusterConfig(
      String name,
      String source,
      MasterConfig master,
      HeartbeatConfig heartbeat,
      PartitionerKind partitioner,
      StoreConfig store,
      Optional<LinkConfig> links,
      List<WorkerConfig> workers,
      HttpConfig http,
      EventsConfig events,
      List<SourceConfig> sources) {
    this(
        name,
        source,
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        http,
        events,
        sources,
        DurabilityConfig.NONE);
  }

  /** A cluster without {@code http:}, {@code events:} and {@code sources:} sections (defaults). */
  public ClusterConfig(
      String name,
      String source,
      MasterConfig master,
      HeartbeatConfig heartbeat,
      PartitionerKind partitioner,
      StoreConfig store,
      Optional<LinkConfig> links,
      List<WorkerConfig> workers) {
    this(
        name,
        source,
        master,
        heartbeat,
        partitioner,
        store,
        links,
        workers,
        HttpConfig.DEFAULT,
        EventsConfig.DEFAULT,
        List.of(),
        DurabilityConfig.NONE);
  }

  /**
   * The journal of this cluster's {@code durability:} setting: {@link
   * io.sluice.cluster.durable.Journal#NONE}, or a Redis journal on the store's Redis (the caller
   * closes it).
   */
  public io.sluice.cluster.durable.Journal openJournal() {
    return durability.open(store);
  }

  /** Reads a cluster file, applying overrides from this process's environment. */
  public static ClusterConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Reads a cluster file, applying overrides from {@code environment} ({@value #ENV_MASTER}).
   *
   * @throws ClusterConfigException naming every problem with its {@code FILE:LINE}
   */
  public static ClusterConfig load(Path file, Map<String, String> environment) {
    return ClusterConfigReader.read(file, environment);
  }

  /** Parses configuration text named {@code file} (used only in messages). */
  public static ClusterConfig parse(String file, String text, Map<String, String> environment) {
    return ClusterConfigReader.parse(file, text, environment);
  }

  /** The worker with this id, or an error naming the ids the cluster has. */
  public WorkerConfig worker(String id) {
    return findWorker(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown worker id '"
                        + id
                        + "' in cluster "
                        + name
                        + " ("
                        + source
                        + "); its workers are: "
                        + String.join(", ", workerIds())));
  }

  public Optional<WorkerConfig> findWorker(String id) {
    return workers.stream().filter(w -> w.id().equals(id)).findFirst();
  }

  public List<String> workerIds() {
    return workers.stream().map(WorkerConfig::id).collect(Collectors.toList());
  }
}
