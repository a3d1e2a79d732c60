package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.engine.EngineOptions;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A worker whose master went away lets its next heartbeat reconnect at once (it resets the
 * channel's reconnect backoff after an UNAVAILABLE heartbeat) and registers with the master that
 * comes back on the same address: the chaos test saw workers register with a restarted master 4.6 s
 * after it served, past the grace in which the master expects them, because gRPC failed every
 * heartbeat at once while it waited out its reconnect backoff.
 */
@IntegrationTest // a worker's registration against a master stand-in over gRPC, restarted
class MasterReconnectTest {

  /** A channel that counts {@link #resetConnectBackoff()} and forwards everything. */
  private static final class CountingChannel extends ManagedChannel {
    final ManagedChannel delegate;
    final AtomicInteger resets = new AtomicInteger();

    CountingChannel(ManagedChannel delegate) {
      this.delegate = delegate;
    }

    @Override
    public void resetConnectBackoff() {
      resets.incrementAndGet();
      delegate.resetConnectBackoff();
    }

    @Override
    public ManagedChannel shutdown() {
      return delegate.shutdown();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public ManagedChannel shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return delegate.newCall(method, options);
    }

    @Override
    public String authority() {
      return delegate.authority();
    }
  }

  @Test
  void aWorkerReconnectsAtOnceAndRegistersWithAMasterThatCameBack() throws Exception {
    SystemScheduler scheduler = new SystemScheduler(1);
    FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    MasterStandIn first = new MasterStandIn(0);
    int port = first.port();
    first.heartbeatInterval = Duration.ofMillis(50);
    CountingChannel channel =
        new CountingChannel(
            NettyChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext().build());
    WorkerNode node =
        new WorkerNode(
            "w1",
            "127.0.0.1",
            0,
            channel,
            EngineOptions.of(runtimes),
            List.of(),
            PeerLinkOptions.DEFAULT);
    MasterRegistration registration =
        MasterRegistration.of(
            node,
            4,
            1 << 20,
            runtimes.kinds(),
            channel,
            "127.0.0.1:" + port,
            scheduler,
            Duration.ofMillis(50));
    try {
      registration.register(Duration.ofSeconds(10));
      Awaitility.await().until(() -> first.heartbeats.size() >= 2);
      assertThat(channel.resets).hasValue(0);
      first.close(); // the master dies
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> channel.resets.get() >= 2);
      try (MasterStandIn second = new MasterStandIn(port)) {
        second.askToReregister = true; // a new master does not know the worker
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !second.registrations.isEmpty());
        assertThat(second.registrations.get(0).getWorkerId()).isEqualTo("w1");
      }
    } finally {
      registration.close();
      node.close();
      channel.shutdownNow();
      runtimes.close();
      scheduler.close();
    }
  }
}
