package io.sluice.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.FunctionException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartBackoffTest {
  private static final long MS = 1_000_000L;
  private static final FunctionException FAILURE =
      new FunctionException(FunctionException.FUNCTION_FAILED, "no such entrypoint", true);

  @Test
  void thePauseDoublesFrom200MsUpTo30sAndASuccessResetsIt() {
    StartBackoff b = new StartBackoff("f");
    assertThat(b.waitNanos(0)).isZero();
    List<Long> pauses = new ArrayList<>();
    long now = 1_000 * MS;
    for (int i = 0; i < 10; i++) {
      b.failed(now, FAILURE, 0);
      pauses.add(b.waitNanos(now) / MS);
    }
    assertThat(pauses)
        .containsExactly(200L, 400L, 800L, 1600L, 3200L, 6400L, 12800L, 25600L, 30000L, 30000L);
    assertThat(b.waitNanos(now + 29_999 * MS)).isEqualTo(MS);
    assertThat(b.waitNanos(now + 30_000 * MS)).isZero();
    b.succeeded();
    assertThat(b.failures()).isZero();
    assertThat(b.waitNanos(now)).isZero();
    b.failed(now, FAILURE, 1);
    assertThat(b.waitNanos(now)).isEqualTo(200 * MS);
  }

  @Test
  void prewarmStopsAfterFiveFailuresInARowUntilACallWaitsAndStopsAgainAfterOneMore() {
    StartBackoff b = new StartBackoff("f");
    for (int i = 1; i <= 4; i++) {
      b.failed(0, FAILURE, 0);
      assertThat(b.prewarmStopped()).as("after %d failures", i).isFalse();
    }
    b.failed(0, FAILURE, 0);
    assertThat(b.prewarmStopped()).isTrue();
    b.callArrived();
    assertThat(b.prewarmStopped()).isFalse();
    assertThat(b.waitNanos(0)).as("a call does not skip the pause").isEqualTo(3200 * MS);
    b.failed(0, FAILURE, 1);
    assertThat(b.prewarmStopped()).isTrue();
    b.succeeded();
    assertThat(b.prewarmStopped()).isFalse();
  }
}
