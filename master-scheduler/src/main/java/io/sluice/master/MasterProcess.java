package io.sluice.master;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.net.LinkEmulator;
import io.sluice.http.HealthReport;
import io.sluice.http.HttpEndpoint;
import io.sluice.http.HttpEndpointOptions;
import io.sluice.time.SystemScheduler;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master process, assembled from a cluster configuration: the scheduler, the {@link Master}, its
 * gRPC server on the master's grpcPort and its HTTP endpoint (health, metrics, CloudEvents) on the
 * httpPort; with the cluster's {@code links:}, a {@link LinkEmulator} its channels to workers go
 * through. Wiring only.
 */
public final class MasterProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterProcess.class);

  private final SystemScheduler scheduler;
  private final Master master;
  private final MasterServer server;
  private final HttpEndpoint http;
  private final Optional<LinkEmulator> links;

  private MasterProcess(
      SystemScheduler scheduler,
      Master master,
      MasterServer server,
      HttpEndpoint http,
      Optional<LinkEmulator> links) {
    this.scheduler = scheduler;
    this.master = master;
    this.server = server;
    this.http = http;
    this.links = links;
  }

  /** Starts serving; ports of 0 in the configuration pick free ones. */
  public static MasterProcess start(ClusterConfig config) {
    SystemScheduler scheduler = new SystemScheduler(2);
    Optional<LinkEmulator> links = LinkEmulator.of("master", config.links());
    Master master = new Master(MasterOptions.of(config), scheduler, LinkEmulator.router(links));
    MasterServer server = null;
    try {
      server = MasterServer.start(master, config.master().host(), config.master().grpcPort());
      MasterServer s = server;
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
                      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                      new MasterEventSink(master))
                  .withMaxBodyBytes((int) config.http().maxBodyBytes())
                  .withDeliveryTimeout(config.http().deliveryTimeout()));
      LOG.info(
          "master of cluster {} serving gRPC on {} and HTTP on {}:{}",
          config.name(),
          server.address(),
          config.master().host(),
          http.port());
      links.ifPresent(l -> LOG.info("master links are emulated: {}", l.link()));
      return new MasterProcess(scheduler, master, server, http, links);
    } catch (RuntimeException e) {
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

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    http.close();
    server.close();
    master.close();
    links.ifPresent(LinkEmulator::close);
    scheduler.close();
  }
}
