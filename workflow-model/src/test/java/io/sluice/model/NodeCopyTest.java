package io.sluice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCopyTest {
  private static final WorkflowGraph INNER =
      new WorkflowGraph(
          "inner",
          "1",
          Map.of("x", new TaskNode("x", "f", null)),
          List.of(),
          List.of(),
          Map.of(),
          null,
          null);

  private static final NodeOptions BEFORE =
      NodeOptions.DEFAULT
          .withInput(Expr.of(".in"))
          .withTimeout(Duration.ofSeconds(5))
          .withHints(new Hints(Duration.ofSeconds(1), 10, 20, 1));

  private static final NodeOptions AFTER =
      NodeOptions.DEFAULT
          .withOutput(Expr.of(".out"))
          .withRetry(
              new RetryPolicy(3, Duration.ofMillis(10), 2, Duration.ofSeconds(1), 0, List.of()))
          .withHints(new Hints(Duration.ofSeconds(2), 30, 40, 2));

  /** One node of every kind, each with non-default fields. */
  private static List<Node> everyKind() {
    return List.of(
        new TaskNode("t", "fn", BEFORE),
        new SwitchNode("s", List.of(new SwitchNode.Case(Expr.of(".a"), "a")), "b", BEFORE),
        new MapNode("m", Expr.of(".items"), INNER, 4, BEFORE),
        new LoopNode("l", INNER, Expr.of(".more"), 7, BEFORE),
        new WaitNode("w", Duration.ofSeconds(3), BEFORE),
        new EventWaitNode("e", "order.paid", Expr.of(".data.id == $input.id"), BEFORE),
        new SubWorkflowNode("sw", INNER, BEFORE),
        new PassNode("p", BEFORE),
        new EndNode("end", true, "Boom", "because", BEFORE));
  }

  @Test
  void everyKindIsCovered() {
    assertThat(everyKind())
        .<Class<?>>extracting(Object::getClass)
        .containsExactlyInAnyOrder(Node.class.getPermittedSubclasses());
  }

  @Test
  void withOptionsChangesOnlyTheOptions() throws Exception {
    for (Node n : everyKind()) {
      Node copy = n.withOptions(AFTER);
      assertThat(copy).as(n.kind()).isInstanceOf(n.getClass()).isNotEqualTo(n);
      assertThat(copy.options()).as(n.kind()).isEqualTo(AFTER);
      for (RecordComponent c : n.getClass().getRecordComponents()) {
        if (!c.getName().equals("options")) {
          assertThat(c.getAccessor().invoke(copy))
              .as(n.kind() + "." + c.getName())
              .isEqualTo(c.getAccessor().invoke(n));
        }
      }
      assertThat(copy.withOptions(BEFORE)).as(n.kind()).isEqualTo(n);
      assertThat(copy.innerGraph()).as(n.kind()).isEqualTo(n.innerGraph());
    }
  }

  @Test
  void withOptionsOfNullMeansTheDefaults() {
    for (Node n : everyKind()) {
      assertThat(n.withOptions(null).options()).as(n.kind()).isEqualTo(NodeOptions.DEFAULT);
    }
  }

  @Test
  void withHintsChangesOnlyTheHints() {
    Hints h = new Hints(Duration.ofMinutes(1), 1, 2, 3);
    for (Node n : everyKind()) {
      Node copy = n.withHints(h);
      assertThat(copy).as(n.kind()).isEqualTo(n.withOptions(BEFORE.withHints(h)));
      assertThat(copy.options().hints()).isEqualTo(h);
      assertThat(n.withHints(BEFORE.hints())).as(n.kind()).isSameAs(n);
    }
  }
}
