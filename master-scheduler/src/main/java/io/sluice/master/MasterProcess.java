package io.sluice.master;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.config.SourceConfig;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.http.HealthReport;
import io.sluice.http.HttpEndpoint;
import io.sluice.http.HttpEndpointOptions;
import io.sluice.master.events.EventMetrics;
import io.sluice.master.source.RedisStreamSource;
import io.sluice.time.SystemScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master process, assembled from a cluster configuration: the scheduler, the {@link Master}, its
 * gRPC server on the master's grpcPort and its HTTP endpoint (health, metrics, CloudEvents) on the
 * httpPort; with the cluster's {@code links:}, a {@link LinkEmulator} its channels to workers go
 * through; and the event sources of its {@code sources:} section ({@link RedisStreamSource}), whose
 * counters are on its {@code /metrics}. Wiring only.
 */
public final class MasterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterProcess.class);

  private final SystemScheduler scheduler;
  private final Master master;
  private final MasterServer server;
  private final HttpEndpoint http;
  private final Optional<LinkEmulator> links;
  private final List<RedisStreamSource> sources;

  private MasterProcess(
      SystemScheduler scheduler,
      Master master,
      MasterServer server,
      HttpEndpoint http,
      Optional<LinkEmulator> links,
      List<RedisStreamSource> sources) {
    this.scheduler = scheduler;
    this.master = master;
    this.server = server;
    this.http = http;
    this.links = links;
    this.sources = sources;
  }

  /** Starts serving; ports of 0 in the configuration pick free ones. */
  public static MasterProcess start(ClusterConfig config) {
    io.sluice.cluster.trace.TracingSetup.fromEnvironment("sluice-master"); // OTEL_TRACES_EXPORTER
    if (!config.security().enabled()) {
      // gRPC and HTTP both bind master.host
      io.sluice.cluster.security.InsecureMode.check(
          config.security(), config.master().host(), "master.host (or SLUICE_MASTER)");
      LOG.warn(io.sluice.cluster.security.InsecureMode.WARNING);
    }
    SystemScheduler scheduler = new SystemScheduler(2);
    Optional<LinkEmulator> links = LinkEmulator.of("master", config.links());
    // Mutual TLS between components (docs/security.md): plaintext without security.tls
    io.sluice.cluster.tls.TlsContexts tls =
        io.sluice.cluster.tls.TlsContexts.of(config.security().tls(), "master");
    Master master =
        new Master(MasterOptions.of(config), scheduler, LinkEmulator.router(links), tls);
    MasterServer server = null;
    HttpEndpoint started = null;
    List<RedisStreamSource> sources = new ArrayList<>();
    try {
      // What functions non-admin registrations may use (before the journal's are re-checked)
      master.allow(io.sluice.cluster.security.FunctionChecks.allowList(config.security()));
      // Durable: read back what a previous master recorded before serving anyone.
      master.journal(config.openJournal());
      // Client tokens (docs/security.md): off without security.tokens
      io.sluice.master.auth.TokenStore tokens =
          config
              .security()
              .tokensFile()
              .map(f -> io.sluice.master.auth.TokenStore.open(java.nio.file.Path.of(f)))
              .orElse(null);
      io.sluice.master.auth.WebSessions sessions =
          tokens == null
              ? null
              : io.sluice.master.auth.WebSessions.of(tokens, config.security().web());
      server =
          MasterServer.start(
              master, config.master().host(), config.master().grpcPort(), tokens, tls);
      MasterServer s = server;
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      EventMetrics.bind(metrics, master.events());
      MasterMetrics.bind(metrics, master, scheduler);
      io.sluice.master.schedule.ScheduleMetrics.bind(metrics, master.schedules());
      HttpEndpoint http =
          HttpEndpoint.start(
              HttpEndpointOptions.of(
                      config.master().host(),
                      config.master().httpPort(),
                      () ->
                          new HealthReport(
                              HealthReport.OK,
                              "master",
                              "master",
                              Map.of(
                                  "grpc",
                                  s.address(),
                                  "liveWorkers",
                                  Integer.toString(master.membership().live().size()))),
                      metrics,
                      // routeEvent's stage, mapped to a receipt: no I/O thread waits for it; the
                      // endpoint answers 504 after the http: section's deliveryTimeout
                      new MasterEventSink(master))
                  .withRoutes(new io.sluice.master.api.MasterApi(master, sessions))
                  .withMaxBodyBytes((int) config.http().maxBodyBytes())
                  .withDeliveryTimeout(config.http().deliveryTimeout())
                  .withGuard(
                      tokens == null
                          ? io.sluice.http.HttpGuard.OPEN
                          : new io.sluice.master.auth.HttpTokenGuard(
                              tokens, sessions, config.security().web().metricsOpen()))
                  // HTTPS with the master's certificate when security.tls is set
                  .withTls(
                      config
                          .security()
                          .tls()
                          .map(
                              t ->
                                  new HttpEndpointOptions.Tls(
                                      t.certificate("master"), t.privateKey("master")))
                          .orElse(null)));
      started = http;
      // Default consumer name: this master's address, so a restarted master reads its own
      // pending entries first.
      String consumer = "master-" + config.master().host() + "-" + config.master().grpcPort();
      for (SourceConfig sc : config.sources()) {
        RedisStreamSource src =
            RedisStreamSource.start(
                sc, consumer, (event, onExpired) -> master.routeEvent(event, null, onExpired));
        sources.add(src);
        EventMetrics.bindSource(metrics, src);
      }
      LOG.info(
          "master of cluster {} serving gRPC on {} and HTTP on {}:{}",
          config.name(),
          server.address(),
          config.master().host(),
          http.port());
      links.ifPresent(l -> LOG.info("master links are emulated: {}", l.link()));
      return new MasterProcess(scheduler, master, server, http, links, sources);
    } catch (RuntimeException e) {
      sources.forEach(RedisStreamSource::close);
      if (started != null) {
        started.close();
      }
      if (server != null) {
        server.close();
      }
      master.close();
      links.ifPresent(LinkEmulator::close);
      scheduler.close();
      throw e;
    }
  }

  public Master master() {
    return master;
  }

  public int grpcPort() {
    return server.port();
  }

  public int httpPort() {
    return http.port();
  }

  public String address() {
    return server.address();
  }

  /** The emulator of this master's links, when the cluster has {@code links:}. */
  public Optional<LinkEmulator> links() {
    return links;
  }

  /** The event sources it consumes, in the order of its {@code sources:} section. */
  public List<RedisStreamSource> sources() {
    return sources;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    sources.forEach(RedisStreamSource::close);
    http.close();
    server.close();
    master.close();
    links.ifPresent(LinkEmulator::close);
    scheduler.close();
  }
}
