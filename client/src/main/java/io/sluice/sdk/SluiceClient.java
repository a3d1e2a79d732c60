package io.sluice.sdk;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.NativeWriter;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.RunOptions;
import io.sluice.proto.SendEventRequest;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.sdk.Calls.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A connection to a Sluice master, for applications: register workflows, start instances, await and
 * watch them, read their history, list and cancel them, send events. Thread-safe; make one per
 * master and close it when done.
 *
 * <pre>{@code
 * try (SluiceClient sluice = SluiceClient.builder().target("127.0.0.1:17400").build()) {
 *   WorkflowId hello = sluice.register(Path.of("examples/hello.yaml")).workflow();
 *   String id = sluice.start(hello, Map.of("name", "Ada"));
 *   InstanceStatus end = sluice.await(id).get();
 * }
 * }</pre>
 *
 * Every call has the builder's deadline, except {@link #await} and {@link #watch}, which last as
 * long as the instance. Idempotent calls are retried when the master is UNAVAILABLE; starting an
 * instance is one of them, because the client chooses the instance id (see {@link StartOptions}).
 * Failures are {@link SluiceException}s. docs/client.md describes every method.
 */
public final class SluiceClient implements AutoCloseable {
  private final String target;
  private final ManagedChannel channel;
  private final WorkflowServiceGrpc.WorkflowServiceStub async;
  private final Calls calls;
  private final ScheduledExecutorService timer;

  private SluiceClient(SluiceClientBuilder b) {
    this.target = b.target();
    var channelBuilder = Grpc.newChannelBuilder(target, b.channelCredentials());
    this.channel = channelBuilder.maxInboundMessageSize(b.maxInboundMessageSize()).build();
    var blocking = WorkflowServiceGrpc.newBlockingStub(channel);
    var stub = WorkflowServiceGrpc.newStub(channel);
    CallCredentials creds = b.callCredentials();
    if (creds != null) {
      blocking = blocking.withCallCredentials(creds);
      stub = stub.withCallCredentials(creds);
    }
    this.async = stub;
    this.calls =
        new Calls(
            target,
            blocking,
            b.deadline(),
            b.maxAttempts(),
            b.retryBackoff(),
            channel::resetConnectBackoff);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-client-retry");
              t.setDaemon(true);
              return t;
            });
  }

  /** A builder: target (default {@code $SLUICE_MASTER}), deadline, retries, credentials. */
  public static SluiceClientBuilder builder() {
    return new SluiceClientBuilder(SluiceClient::new);
  }

  /** A client of the master at {@code host:port} with the default settings. */
  public static SluiceClient connect(String target) {
    return builder().target(target).build();
  }

  /** The master's address this client calls. */
  public String target() {
    return target;
  }

  // ---- workflows

  /**
   * Registers a workflow definition (YAML or JSON, native, FaaSFlow or WfCommons format; {@code
   * fileName} names it in error messages and helps detect the format). Registering the same
   * definition again is harmless, so the call is retried.
   *
   * @throws InvalidRequestException listing the definition's problems with their lines
   */
  public Registration register(String definitionText, String fileName) {
    return register(definitionText, fileName, null, null);
  }

  /**
   * As {@link #register(String, String)}, with a function registry file's text (function names to
   * runtimes and settings, docs/runtimes.md) for the functions the definition does not declare.
   */
  public Registration register(
      String definitionText, String fileName, String functionsText, String functionsFileName) {
    var req =
        RegisterWorkflowRequest.newBuilder()
            .setSource(
                WorkflowSource.newBuilder()
                    .setDefinitionText(definitionText)
                    .setFileName(fileName == null ? "" : fileName));
    if (functionsText != null) {
      req.setFunctionRegistryText(functionsText)
          .setFunctionRegistryFileName(functionsFileName == null ? "functions" : functionsFileName);
    }
    var r =
        calls.unary("RegisterWorkflow", Subject.OTHER, true, s -> s.registerWorkflow(req.build()));
    var placement = new java.util.LinkedHashMap<String, String>();
    r.getPlacement()
        .getAssignmentsList()
        .forEach(a -> placement.put(a.getNodeId(), a.getWorkerId()));
    return new Registration(Wire.id(r.getWorkflow()), List.copyOf(r.getWarningsList()), placement);
  }

  /** Registers the definition in {@code file}. */
  public Registration register(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read workflow definition " + file, e);
    }
    return register(text, file.toAbsolutePath().normalize().toString());
  }

  /**
   * Registers a graph built with the Java DSL ({@code io.sluice.dsl.Workflow}), written in the
   * native format ({@link NativeWriter}: reading it back gives an equal graph).
   */
  public Registration register(WorkflowGraph graph) {
    return register(NativeWriter.toYaml(graph), graph.name() + ".yaml");
  }

  /** The latest version of each registered workflow. */
  public List<WorkflowInfo> listWorkflows() {
    return listWorkflows("", false, false);
  }

  /** Registered workflows whose name starts with {@code namePrefix}. */
  public List<WorkflowInfo> listWorkflows(
      String namePrefix, boolean allVersions, boolean includeRetired) {
    var req =
        ListWorkflowsRequest.newBuilder()
            .setNamePrefix(namePrefix == null ? "" : namePrefix)
            .setAllVersions(allVersions)
            .setIncludeRetired(includeRetired)
            .build();
    return calls
        .unary("ListWorkflows", Subject.WORKFLOW, true, s -> s.listWorkflows(req))
        .getWorkflowsList()
        .stream()
        .map(Wire::workflow)
        .toList();
  }

  // ---- instances

  /**
   * Starts {@code workflow} with {@code input} (see {@link #start(WorkflowId, Object,
   * StartOptions)}).
   */
  public String start(WorkflowId workflow, Object input) {
    return start(workflow, input, StartOptions.DEFAULTS);
  }

  /** Starts {@code NAME} (latest version) or {@code NAME@VERSION}. */
  public String start(String workflow, Object input) {
    return start(WorkflowId.parse(workflow), input, StartOptions.DEFAULTS);
  }

  /**
   * Starts an instance and returns its id once the master has accepted it (it runs on). {@code
   * input} is a JsonNode or anything Jackson writes (a Map, a record; null = {}). A workflow id
   * without a version starts the latest registered version.
   *
   * @throws WorkflowNotFoundException when no such workflow is registered
   */
  public String start(WorkflowId workflow, Object input, StartOptions options) {
    WorkflowId wf = workflow.version() == null ? latest(workflow.name()) : workflow;
    String id =
        options.instanceId() == null || options.instanceId().isBlank()
            ? UUID.randomUUID().toString()
            : options.instanceId();
    var req =
        InvokeRequest.newBuilder()
            .setWorkflow(Wire.ref(wf))
            .setInputJson(input == null ? "" : Json.text(input))
            .setMode(Wire.mode(options.mode()))
            .setInstanceId(id);
    if (options.synthetic() || options.timeScale() != 1 || options.dataScale() != 1) {
      req.setOptions(
          RunOptions.newBuilder()
              .setSynthetic(options.synthetic())
              .setTimeScale(options.timeScale())
              .setDataScale(options.dataScale()));
    }
    // Idempotent: the id is chosen here, so a retried start finds the instance the first made.
    return calls
        .unary("Invoke", Subject.WORKFLOW, true, s -> s.invoke(req.build()))
        .getInstanceId();
  }

  /**
   * Starts an instance and completes with its final status ({@link #start} then {@link #await}).
   */
  public CompletableFuture<InstanceStatus> run(WorkflowId workflow, Object input, StartOptions o) {
    return await(start(workflow, input, o));
  }

  /**
   * Completes with the instance's final status when it ends (whatever the state: check {@link
   * InstanceStatus#succeeded()}); fails with {@link InstanceNotFoundException} for an unknown id.
   * One WatchInstance stream, no polling; cancelling the future ends the stream.
   */
  public CompletableFuture<InstanceStatus> await(String instanceId) {
    return watch(instanceId, update -> {}).result();
  }

  /**
   * Follows an instance: {@code listener} gets its first status, then each node-level change as the
   * master learns of it, then the end. Close the returned {@link Watch} to stop early.
   */
  public Watch watch(String instanceId, WatchListener listener) {
    Watch w = new Watch(instanceId, listener, async, calls, timer);
    w.subscribe();
    return w;
  }

  /** The instance's status now. */
  public InstanceStatus status(String instanceId) {
    var req = GetInstanceRequest.newBuilder().setInstanceId(instanceId).build();
    return Wire.status(calls.unary("GetInstance", Subject.INSTANCE, true, s -> s.getInstance(req)));
  }

  /**
   * Cancels a running instance; returns its state after the call (CANCELLED, or the state it had
   * already ended in). Cancelling again is harmless, so the call is retried.
   */
  public InstanceState cancel(String instanceId, String reason) {
    var req =
        CancelRequest.newBuilder()
            .setInstanceId(instanceId)
            .setReason(reason == null ? "" : reason)
            .build();
    return Wire.state(calls.unary("Cancel", Subject.INSTANCE, true, s -> s.cancel(req)).getState());
  }

  /**
   * Delivers an event to waiting instances (retried: the master drops a repeated source and id).
   */
  public EventDelivery sendEvent(Event event) {
    var req = SendEventRequest.newBuilder().setEvent(Wire.event(event));
    if (event.instanceId() != null) {
      req.setInstanceId(event.instanceId());
    }
    var r = calls.unary("SendEvent", Subject.INSTANCE, true, s -> s.sendEvent(req.build()));
    return new EventDelivery(
        r.getOutcome(),
        List.copyOf(r.getDeliveredToList()),
        r.getHeld(),
        r.getDuplicate(),
        r.getDetail());
  }

  /** One page of an instance's history: steps after {@code afterSeq} (0 = from the first). */
  public HistoryPage historyPage(String instanceId, long afterSeq, int pageSize) {
    var req =
        GetHistoryRequest.newBuilder()
            .setInstanceId(instanceId)
            .setAfterSeq(afterSeq)
            .setPageSize(pageSize)
            .build();
    var r = calls.unary("GetHistory", Subject.INSTANCE, true, s -> s.getHistory(req));
    return new HistoryPage(
        r.getEventsList().stream().map(Wire::step).toList(),
        r.getLastSeq(),
        r.getMore(),
        r.getEnded(),
        r.getDropped());
  }

  /**
   * The instance's history as it is now, in order; pages are fetched as the stream is consumed (one
   * GetHistory call per page of 500).
   */
  public Stream<HistoryStep> history(String instanceId) {
    return paged(
        0L,
        seq -> {
          HistoryPage p = historyPage(instanceId, seq, 0);
          return new Chunk<>(p.steps(), p.more() ? p.lastSeq() : null);
        });
  }

  /** One page of instances, newest first; {@code pageToken} null for the first. */
  public Page<InstanceSummary> listInstancesPage(InstanceFilter filter, String pageToken) {
    var req = ListInstancesRequest.newBuilder().setPageSize(filter.pageSize());
    if (filter.workflow() != null) {
      req.setWorkflow(filter.workflow());
    }
    filter.states().forEach(s -> req.addStates(Wire.state(s)));
    if (filter.startedAfter() != null) {
      req.setStartedAfter(Wire.timestamp(filter.startedAfter()));
    }
    if (filter.startedBefore() != null) {
      req.setStartedBefore(Wire.timestamp(filter.startedBefore()));
    }
    if (pageToken != null) {
      req.setPageToken(pageToken);
    }
    var r = calls.unary("ListInstances", Subject.WORKFLOW, true, s -> s.listInstances(req.build()));
    return new Page<>(
        r.getInstancesList().stream().map(Wire::summary).toList(),
        r.getNextPageToken().isEmpty() ? null : r.getNextPageToken());
  }

  /** The instances the master knows that match {@code filter}, newest first, fetched by page. */
  public Stream<InstanceSummary> listInstances(InstanceFilter filter) {
    return paged(
        "",
        token -> {
          Page<InstanceSummary> p = listInstancesPage(filter, token.isEmpty() ? null : token);
          return new Chunk<>(p.items(), p.nextPageToken());
        });
  }

  // ---- raw access

  /**
   * The gRPC channel, for calls this class does not wrap (e.g. {@code
   * WorkflowServiceGrpc.newBlockingStub(client.channel())}). Owned by the client: do not shut it
   * down.
   */
  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WorkflowId latest(String name) {
    return listWorkflows(name, false, false).stream()
        .map(WorkflowInfo::workflow)
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new WorkflowNotFoundException(
                    "NOT_FOUND",
                    "Invoke on the master at "
                        + target
                        + ": no workflow "
                        + name
                        + " is registered; register it first",
                    null));
  }

  /** One page of a listing and where the next starts (null: none). */
  private record Chunk<T, K>(List<T> items, K next) {}

  /** A lazy stream over pages: the next page is fetched when the current one is used up. */
  private static <T, K> Stream<T> paged(K first, Function<K, Chunk<T, K>> fetch) {
    Iterator<T> it =
        new Iterator<>() {
          private Iterator<T> page = List.<T>of().iterator();
          private K next = first;

          @Override
          public boolean hasNext() {
            while (!page.hasNext() && next != null) {
              Chunk<T, K> c = fetch.apply(next);
              page = c.items().iterator();
              // a page that does not move the position on ends the listing (no endless loop)
              next = java.util.Objects.equals(c.next(), next) ? null : c.next();
            }
            return page.hasNext();
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
    return StreamSupport.stream(
        java.util.Spliterators.spliteratorUnknownSize(it, java.util.Spliterator.ORDERED), false);
  }
}
