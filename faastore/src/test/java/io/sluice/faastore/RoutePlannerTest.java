package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {
  private final RoutePlanner withRedis = new RoutePlanner("w1", 1000, true);
  private final RoutePlanner noRedis = new RoutePlanner("w1", 1000, false);

  @Test
  void allConsumersLocalStaysInMemoryOnly() {
    assertThat(withRedis.plan(5000, Set.of("w1"))).isEqualTo(new Route(true, Set.of(), false));
    assertThat(withRedis.plan(5000, Set.of())).isEqualTo(new Route(true, Set.of(), false));
  }

  @Test
  void smallValuesArePushedToEachRemoteConsumerAndKeptLocally() {
    assertThat(withRedis.plan(1000, Set.of("w1", "w2", "w3")))
        .isEqualTo(new Route(true, Set.of("w2", "w3"), false));
  }

  @Test
  void largeValuesGoThroughRedisAndStayLocalOnlyForLocalConsumers() {
    assertThat(withRedis.plan(1001, Set.of("w2"))).isEqualTo(new Route(false, Set.of(), true));
    assertThat(withRedis.plan(1001, Set.of("w1", "w2"))).isEqualTo(new Route(true, Set.of(), true));
  }

  @Test
  void withoutRedisEveryRemoteConsumerGetsAPush() {
    assertThat(noRedis.plan(1L << 30, Set.of("w2")))
        .isEqualTo(new Route(true, Set.of("w2"), false));
  }
}
