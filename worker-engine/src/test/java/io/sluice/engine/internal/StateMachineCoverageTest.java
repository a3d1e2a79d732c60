package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when a row of an engine state machine table was never exercised by the engine's tests
 * (Temporal's "assert every transition was covered"). {@link StateMachineCoverageOrder} runs it
 * after every {@code io.sluice.engine} test class and before the module's other tests; when the run
 * does not hold every engine test class (e.g. {@code -Dtest=EngineTest}) it is skipped.
 */
class StateMachineCoverageTest {
  /** Every table of the engine. */
  static List<StateMachine<?, ?, ?>> tables() {
    return List.of(InstanceMachine.TABLE, NodeMachine.TABLE, Edges.TABLE);
  }

  @Test
  void everyRowOfEveryTableWasExercisedByTheEngineTests() throws Exception {
    Set<String> missing = new TreeSet<>(engineTestClasses());
    missing.removeAll(StateMachineCoverageOrder.planned());
    assumeTrue(
        missing.isEmpty(),
        () -> "row coverage needs the whole engine suite; this run lacks " + missing);
    assertThat(StateMachine.TRACK).as("row counting (sluice.fsm.coverage)").isTrue();
    List<String> unused = new ArrayList<>();
    for (StateMachine<?, ?, ?> m : tables()) {
      unused.addAll(unusedRows(m));
    }
    assertThat(unused)
        .as("rows of the engine's tables that no engine test exercised (test them, or drop them)")
        .isEmpty();
  }

  private static <S extends Enum<S>, E extends Enum<E>, C> List<String> unusedRows(
      StateMachine<S, E, C> m) {
    List<String> out = new ArrayList<>();
    for (StateMachine.Row<S, E, C> r : m.rows()) {
      if (m.hits(r) == 0) {
        out.add(m.entity + ": " + r.from() + " + " + r.event() + " -> " + r.to());
      }
    }
    return out;
  }

  /** The test classes under io/sluice/engine in this module's compiled tests. */
  private static Set<String> engineTestClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(
            StateMachineCoverageTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Path engine = root.resolve("io/sluice/engine");
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(engine)) {
      files
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith("Test.class") && !n.contains("$"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .filter(n -> !n.equals(StateMachineCoverageTest.class.getName()))
          .forEach(out::add);
    }
    return out;
  }
}
