package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.CallKey.Enclosing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallKeyTest {

  @Test
  void aTopLevelCallReadsAsInstanceNodeAndAttempt() {
    CallKey k = CallKey.of("order-17", "charge", 2);
    assertThat(k.idempotencyKey()).isEqualTo("order-17/charge@2");
    assertThat(k.stepKey()).isEqualTo("order-17/charge");
  }

  @Test
  void theSameCallAlwaysGetsTheSameKeys() {
    List<Enclosing> path = List.of(new Enclosing("items", 4, 1), new Enclosing("rounds", 3, 2));
    CallKey a = CallKey.of("inst-1", path, "work", 2);
    CallKey b = CallKey.of("inst-1", List.copyOf(path), "work", 2);
    assertThat(a).isEqualTo(b);
    assertThat(a.idempotencyKey()).isEqualTo("inst-1/items@1[4]/rounds@2[3]/work@2");
    assertThat(a.stepKey()).isEqualTo("inst-1/items[4]/rounds[3]/work");
    assertThat(CallKey.Prefix.root("inst-1").enter(path.get(0)).enter(path.get(1)).call("work", 2))
        .isEqualTo(a);
  }

  @Test
  void mapItemsLoopRoundsAttemptsAndNestingEachGiveTheirOwnKey() {
    Set<String> keys = new HashSet<>();
    Set<String> steps = new HashSet<>();
    int calls = 0;
    for (int item = 0; item < 3; item++) {
      for (int round = 1; round <= 3; round++) {
        for (int mapAttempt = 1; mapAttempt <= 2; mapAttempt++) {
          for (int attempt = 1; attempt <= 2; attempt++) {
            CallKey k =
                CallKey.of(
                    "r",
                    List.of(
                        new Enclosing("map", item, mapAttempt), new Enclosing("loop", round, 1)),
                    "fn",
                    attempt);
            keys.add(k.idempotencyKey());
            steps.add(k.stepKey());
            calls++;
          }
        }
      }
    }
    assertThat(keys).hasSize(calls);
    // The step key leaves out every attempt: one per (item, round).
    assertThat(steps).hasSize(9);
  }

  @Test
  void aNestedSubWorkflowIsNotTheSameStepAsItsOuterNode() {
    CallKey outer = CallKey.of("r", "fn", 1);
    CallKey nested = CallKey.of("r", List.of(new Enclosing("sub", 1, 1)), "fn", 1);
    CallKey deeper =
        CallKey.of("r", List.of(new Enclosing("sub", 1, 1), new Enclosing("sub", 1, 1)), "fn", 1);
    assertThat(Set.of(outer.stepKey(), nested.stepKey(), deeper.stepKey())).hasSize(3);
    assertThat(Set.of(outer.idempotencyKey(), nested.idempotencyKey(), deeper.idempotencyKey()))
        .hasSize(3);
  }

  @Test
  void idsWithSeparatorsCannotForgeAnotherPath() {
    // Without escaping, both would read r/a[0]/b.
    CallKey nested = CallKey.of("r", List.of(new Enclosing("a", 0, 1)), "b", 1);
    CallKey forged = CallKey.of("r", "a[0]/b", 1);
    assertThat(forged.stepKey()).isNotEqualTo(nested.stepKey());
    assertThat(forged.stepKey()).isEqualTo("r/a%5B0%5D%2Fb");
    assertThat(CallKey.of("r/x", "y", 1)).isNotEqualTo(CallKey.of("r", "x/y", 1));
    assertThat(CallKey.of("r", "n@1", 1).idempotencyKey())
        .isNotEqualTo(CallKey.of("r", "n", 1).idempotencyKey() + "@1");
    assertThat(CallKey.of("é~%", "n", 1).idempotencyKey()).isEqualTo("%C3%A9%7E%25/n@1");
  }

  @Test
  void longPathsAreBoundedKeepAReadablePrefixAndStayDistinct() {
    List<Enclosing> deep = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      deep.add(new Enclosing("map-number-" + i, i, 1));
    }
    Set<String> keys = new HashSet<>();
    for (int item = 0; item < 50; item++) {
      List<Enclosing> path = new ArrayList<>(deep);
      path.add(new Enclosing("last", item, 1));
      CallKey k = CallKey.of("a-rather-long-instance-id-0123456789", path, "fn", 1);
      for (String s : List.of(k.idempotencyKey(), k.stepKey())) {
        assertThat(s)
            .hasSizeLessThanOrEqualTo(CallKey.MAX_LENGTH)
            .startsWith("a-rather-long-instance-id-0123456789/map-number-0")
            .matches(".*~[0-9a-f]{40}");
      }
      keys.add(k.idempotencyKey());
      keys.add(k.stepKey());
    }
    assertThat(keys).hasSize(100);
    String id = "x".repeat(1000);
    assertThat(CallKey.of(id, "fn", 1).idempotencyKey()).hasSize(CallKey.MAX_LENGTH);
    assertThat(CallKey.of(id, "fn", 1)).isEqualTo(CallKey.of(id, "fn", 1));
  }

  @Test
  void aHashedKeyNeverCutsAnEscapeInTwo() {
    for (int pad = 0; pad < 6; pad++) {
      String id = "p".repeat(80 + pad) + "/".repeat(20);
      String k = CallKey.of(id, "fn", 1).stepKey();
      String prefix = k.substring(0, k.indexOf('~'));
      assertThat(prefix).doesNotMatch(".*%[0-9A-F]?$");
    }
  }

  @Test
  void anInvocationWithoutKeysGetsThoseOfATopLevelNodeAndTheContextCarriesThem() {
    Invocation inv =
        new Invocation(null, null, Long.MAX_VALUE, "i", "n", 3, io.sluice.model.Hints.NONE);
    assertThat(inv.idempotencyKey()).isEqualTo("i/n@3");
    assertThat(inv.stepKey()).isEqualTo("i/n");
    CallKey k = CallKey.of("i", List.of(new Enclosing("m", 2, 1)), "n", 3);
    FunctionContext ctx =
        FunctionContext.of(
            new Invocation(
                null, null, Long.MAX_VALUE, "i.m.2", "n", 3, io.sluice.model.Hints.NONE, null, k));
    assertThat(ctx.idempotencyKey()).isEqualTo("i/m@1[2]/n@3");
    assertThat(ctx.stepKey()).isEqualTo("i/m[2]/n");
  }
}
