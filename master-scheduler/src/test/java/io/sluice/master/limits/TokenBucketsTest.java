package io.sluice.master.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on a hand-moved clock: burst, refusal with the wait, refill, one per client. */
class TokenBucketsTest {
  private final AtomicLong now = new AtomicLong();
  private final TokenBuckets buckets = new TokenBuckets(5, 5, now::get);

  @Test
  void aBurstPassesThenTheNextWaitsForItsToken() {
    for (int i = 0; i < 5; i++) {
      assertThat(buckets.take("a")).isZero();
    }
    assertThat(buckets.take("a")).isEqualTo(200_000_000L); // one token at 5/s: 200 ms
    now.addAndGet(199_000_000L);
    assertThat(buckets.take("a")).isPositive();
    now.addAndGet(1_000_000L);
    assertThat(buckets.take("a")).isZero();
  }

  @Test
  void eachClientHasItsOwnBucketAndNoRateMeansNoLimit() {
    for (int i = 0; i < 5; i++) {
      buckets.take("a");
    }
    assertThat(buckets.take("a")).isPositive();
    assertThat(buckets.take("b")).isZero();
    TokenBuckets none = new TokenBuckets(0, 1, now::get);
    for (int i = 0; i < 100; i++) {
      assertThat(none.take("a")).isZero();
    }
  }

  @Test
  void aQuietBucketRefillsOnlyUpToItsBurst() {
    now.addAndGet(3_600_000_000_000L);
    for (int i = 0; i < 5; i++) {
      assertThat(buckets.take("a")).isZero();
    }
    assertThat(buckets.take("a")).isPositive();
  }
}
