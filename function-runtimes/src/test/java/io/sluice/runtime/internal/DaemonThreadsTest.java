package io.sluice.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

  @Test
  void namedDaemonThreadsAndABlockedTaskNeverHoldsUpTheNext() throws Exception {
    ExecutorService pool = DaemonThreads.cachedPool("sluice-test-io", Duration.ofSeconds(30));
    try {
      CountDownLatch second = new CountDownLatch(1);
      // the first task waits for the second: with a queue or a bound of one thread it never ends
      Future<Thread> first =
          pool.submit(
              () -> {
                second.await(30, TimeUnit.SECONDS);
                return Thread.currentThread();
              });
      Future<Thread> other =
          pool.submit(
              () -> {
                second.countDown();
                return Thread.currentThread();
              });
      Thread a = first.get(60, TimeUnit.SECONDS);
      Thread b = other.get(60, TimeUnit.SECONDS);
      assertThat(second.getCount()).isZero();
      assertThat(a).isNotSameAs(b);
      assertThat(a.isDaemon()).isTrue();
      assertThat(b.isDaemon()).isTrue();
      assertThat(a.getName()).isEqualTo("sluice-test-io-1");
      assertThat(b.getName()).isEqualTo("sluice-test-io-2");
    } finally {
      pool.shutdownNow();
    }
  }
}
