package io.sluice.worker;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.cluster.net.AddressRouter;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.faastore.ContainerBudget;
import io.sluice.faastore.DataStore;
import io.sluice.faastore.DataStores;
import io.sluice.faastore.TieredStore;
import io.sluice.faastore.grpc.GrpcPeerOptions;
import io.sluice.faastore.grpc.GrpcPeerTransport;
import io.sluice.faastore.grpc.PeerDataHandler;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.worker.data.EnginePlacement;
import io.sluice.worker.data.StoreDataPlane;
import java.util.List;

/**
 * One worker's engine on the network: its {@link WorkerEngine}, the {@link PeerLinks} it sends edge
 * events on, the {@link GrpcEventRouter} between them and the master, and its {@link WorkerServer}.
 * The worker process adds HTTP, registration and heartbeats around it; tests run several in one
 * JVM.
 */
public final class WorkerNode implements AutoCloseable {
  private final String host;
  private final PeerLinks peers;
  private final WorkerEngine engine;
  private final EngineOptions options;
  private final int port;
  private volatile WorkerServer server;
  private final GrpcPeerTransport transport;
  private final DataStore store;
  private final PeerDataHandler dataHandler;
  private final ContainerBudget containerBudget;
  private final PartMoves moves = new PartMoves();
  private final TlsContexts tls;

  /** The port of a {@code redis://} URI that names none. */
  private static final int REDIS_PORT = 6379;

  /**
   * Builds the engine and starts serving on {@code host:port} (0 = any free port).
   *
   * @param master the channel to the master's ClusterService (part ends are reported there)
   * @param extraRuntimes runtimes added to every deployment (e.g. a java runtime with functions)
   */
  public WorkerNode(
      String workerId,
      String host,
      int port,
      Channel master,
      EngineOptions options,
      List<FunctionRuntime> extraRuntimes,
      PeerLinkOptions peerOptions) {
    this(workerId, host, port, master, options, extraRuntimes, peerOptions, null);
  }

  /**
   * As above, with FaaStore: outputs for consumers on other workers go through a store built from
   * {@code store} (null = inline in the edge events), reaching peers over gRPC.
   */
  public WorkerNode(
      String workerId,
      String host,
      int port,
      Channel master,
      EngineOptions options,
      List<FunctionRuntime> extraRuntimes,
      PeerLinkOptions peerOptions,
      StoreConfig store) {
    this(
        workerId,
        host,
        port,
        master,
        options,
        extraRuntimes,
        peerOptions,
        store,
        AddressRouter.DIRECT);
  }

  /**
   * As above, with the connections to peers (edge events and FaaStore data) and to the store's
   * Redis dialled where {@code links} routes them (emulated links). The master channel is the
   * caller's: route it before.
   */
  public WorkerNode(
      String workerId,
      String host,
      int port,
      Channel master,
      EngineOptions options,
      List<FunctionRuntime> extraRuntimes,
      PeerLinkOptions peerOptions,
      StoreConfig store,
      AddressRouter links) {
    this(
        workerId,
        host,
        port,
        master,
        options,
        extraRuntimes,
        peerOptions,
        store,
        links,
        TlsContexts.PLAINTEXT);
  }

  /**
   * As above, with mutual TLS ({@code tls} enabled): its server asks every caller for a certificate
   * of the cluster's CA (WorkerService: the master's, PeerService: a worker's) and its channels to
   * peers (edge events, FaaStore data) present this worker's certificate and accept only workers.
   * The master channel is the caller's: give it {@code tls.channel(MASTER)}.
   */
  public WorkerNode(
      String workerId,
      String host,
      int port,
      Channel master,
      EngineOptions options,
      List<FunctionRuntime> extraRuntimes,
      PeerLinkOptions peerOptions,
      StoreConfig store,
      AddressRouter links,
      TlsContexts tls) {
    this.tls = tls;
    this.host = host;
    this.options = options;
    if (store != null && store.redisUri().isPresent() && links != AddressRouter.DIRECT) {
      store = store.toBuilder().redisUri(links.route(store.redisUri().get(), REDIS_PORT)).build();
    }
    ChannelCredentials toPeers = tls.channel(CertificateAuthority.Kind.WORKER);
    this.peers = new PeerLinks(workerId, peerOptions, options.scheduler(), links, toPeers);
    GrpcEventRouter router =
        new GrpcEventRouter(
            workerId, peers, master, options.scheduler(), moves, options.nodeSteps());
    this.engine = WorkerEngine.create(workerId, options, router, extraRuntimes);
    router.bind(engine);
    PeerDataHandler dataHandler = null;
    if (store != null && store.mode() != StoreMode.MEMORY) {
      this.transport =
          GrpcPeerTransport.create(peers::addressOf, GrpcPeerOptions.of(store), links, toPeers);
      this.store =
          DataStores.create(
              store, workerId, options.scheduler(), transport, new EnginePlacement(engine));
      DataStore peerView =
          this.store instanceof TieredStore tiered ? tiered.peerView() : this.store;
      dataHandler = new PeerDataHandler(peerView, GrpcPeerOptions.of(store));
      engine.dataPlane(
          new StoreDataPlane(
              this.store,
              workerId,
              store.inlineThreshold(),
              store.maxValueSize(),
              store.mode() == StoreMode.REDIS));
    } else {
      this.transport = null;
      this.store = null;
    }
    this.dataHandler = dataHandler;
    this.containerBudget =
        this.store != null && store.fromContainers().isPresent()
            ? this.store
                .memoryBudget()
                .map(
                    b ->
                        ContainerBudget.start(
                            b,
                            this::containerMemory,
                            options.scheduler(),
                            ContainerBudget.DEFAULT_INTERVAL))
                .orElse(null)
            : null;
    try {
      this.server =
          WorkerServer.start(
              host, port, engine, peers, options.scheduler(), dataHandler, moves, logs(), tls);
      this.port = server.port();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The call logs this worker keeps (its engine options' {@code callLogs} when they are an {@link
   * InvocationLogs}), served by GetLogs; null when it keeps none.
   */
  public InvocationLogs logs() {
    return options.callLogs() instanceof InvocationLogs l ? l : null;
  }

  public String workerId() {
    return engine.workerId();
  }

  public WorkerEngine engine() {
    return engine;
  }

  /**
   * Makes this worker durable (cluster config {@code durability: redis}): call outcomes and
   * accepted edge events are recorded in {@code journal} before they are used or acknowledged. Set
   * before instances start.
   */
  public void journal(io.sluice.cluster.durable.Journal journal) {
    moves.journal(journal);
    engine.journal(journal);
  }

  /** What this worker knows of parts moved from dead workers (and its fencing counter). */
  public PartMoves moves() {
    return moves;
  }

  public PeerLinks peers() {
    return peers;
  }

  public WorkerServer server() {
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code host:port} where the master and peers reach this worker. */
  public String address() {
    return host + ":" + port();
  }

  /**
   * Stops the gRPC server (open peer streams and calls are cut; senders keep what was not acked).
   */
  public synchronized void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts serving again on the same port with the same engine; peers reconnect and resend. */
  public synchronized void startServer() {
    if (server == null) {
      server =
          WorkerServer.start(
              host, port, engine, peers, options.scheduler(), dataHandler, moves, logs(), tls);
    }
  }

  /**
   * What this worker's containers were granted and use now, from its runtimes' footprint: the base
   * runtimes and those its engine made per deployment (the docker runtime measures every few
   * seconds).
   */
  public ContainerBudget.ContainerMemory containerMemory() {
    Footprint f = engine.footprint();
    return new ContainerBudget.ContainerMemory(f.grantedMemoryBytes(), f.usedMemoryBytes());
  }

  /** Whether this worker's FaaStore budget follows its containers (reclaimFromContainers). */
  public boolean followsContainers() {
    return containerBudget != null;
  }

  /** The memory this worker's FaaStore may hold now; 0 when it keeps nothing in memory. */
  public long storeBudgetBytes() {
    return store == null
        ? 0
        : store.memoryBudget().map(io.sluice.faastore.MemoryBudget::budgetBytes).orElse(0L);
  }

  /** This worker's FaaStore, if it has one. */
  public java.util.Optional<DataStore> store() {
    return java.util.Optional.ofNullable(store);
  }

  @Override
  public void close() {
    if (containerBudget != null) {
      containerBudget.close();
    }
    stopServer();
    peers.close();
    engine.close();
    moves.journal().close();
    if (store != null) {
      store.close();
    }
    if (transport != null) {
      transport.close();
    }
  }
}
