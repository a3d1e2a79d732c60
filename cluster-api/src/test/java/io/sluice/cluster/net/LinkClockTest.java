package io.sluice.cluster.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.LinkConfig;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkClockTest {
  private static final long MS = 1_000_000;

  @Test
  void aChunkArrivesAfterItsSerializationAndTheLatency() {
    // 1 MB/s: 1000 bytes take 1 ms to leave
    LinkClock clock = new LinkClock(new LinkConfig(Duration.ofMillis(2), 1_000_000));
    assertThat(clock.arrival(0, 1000)).isEqualTo(3 * MS);
    // read before the previous one left: it queues behind it
    assertThat(clock.arrival(MS / 2, 1000)).isEqualTo(4 * MS);
    // read after the link went idle: it leaves at once
    assertThat(clock.arrival(10 * MS, 500)).isEqualTo(10 * MS + MS / 2 + 2 * MS);
    // the end of the stream carries no bytes but still takes the latency
    assertThat(clock.arrival(20 * MS, 0)).isEqualTo(22 * MS);
  }

  @Test
  void arrivalsNeverDecreaseSoChunksKeepTheirOrder() {
    LinkClock clock = new LinkClock(new LinkConfig(Duration.ofMillis(1), 50_000_000));
    long last = Long.MIN_VALUE;
    for (int i = 0; i < 1000; i++) {
      long t = (i * 7919L) % 5000 * 1000; // read times jumping back and forth
      long a = clock.arrival(Math.max(t, i * 1000L), 1 + i % 7000);
      assertThat(a).isGreaterThanOrEqualTo(last);
      last = a;
    }
  }

  @Test
  void anUnlimitedLinkOnlyDelays() {
    LinkClock clock = new LinkClock(new LinkConfig(Duration.ofMillis(1), LinkConfig.UNLIMITED));
    assertThat(clock.serializationNanos(64 << 10)).isZero();
    assertThat(clock.arrival(5, 1 << 20)).isEqualTo(5 + MS);
  }

  @Test
  void serializationRoundsUpSoTheLinkIsNeverFaster() {
    LinkClock clock = new LinkClock(new LinkConfig(Duration.ZERO, 3));
    assertThat(clock.serializationNanos(1)).isEqualTo(333_333_334);
  }

  @Test
  void chunksTakeAtMostAQuarterMillisecondToLeaveWithinFourTo64KiB() {
    assertThat(LinkClock.chunkBytes(new LinkConfig(Duration.ZERO, 0))).isEqualTo(64 << 10);
    assertThat(LinkClock.chunkBytes(new LinkConfig(Duration.ZERO, 50_000_000))).isEqualTo(12_500);
    assertThat(LinkClock.chunkBytes(new LinkConfig(Duration.ZERO, 1_000_000))).isEqualTo(4 << 10);
    assertThat(LinkClock.chunkBytes(new LinkConfig(Duration.ZERO, 10_000_000_000L)))
        .isEqualTo(64 << 10);
  }

  @Test
  void routersRewriteHostPortsAndUris() {
    AddressRouter relay = hp -> "127.0.0.1:" + (hp.endsWith(":6379") ? 40001 : 40002);
    assertThat(relay.route(URI.create("redis://:secret@redis.lab:6379/2"), 6379))
        .isEqualTo(URI.create("redis://:secret@127.0.0.1:40001/2"));
    assertThat(relay.route(URI.create("redis://redis.lab"), 6379))
        .isEqualTo(URI.create("redis://127.0.0.1:40001"));
    URI plain = URI.create("redis://r:6379");
    assertThat(AddressRouter.DIRECT.route(plain, 6379)).isSameAs(plain);
    assertThat(HostPort.parse("[::1]:7401")).isEqualTo(new HostPort("::1", 7401));
    assertThat(HostPort.parse("[::1]:7401").toString()).isEqualTo("[::1]:7401");
    assertThatThrownBy(() -> HostPort.parse("nohost")).hasMessageContaining("'nohost'");
    assertThatThrownBy(() -> HostPort.parse("h:70000")).hasMessageContaining("HOST:PORT");
  }
}
