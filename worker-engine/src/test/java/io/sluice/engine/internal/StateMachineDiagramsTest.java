package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/state-machines.md is generated from the engine's tables; this test fails when it differs
 * from what they generate. To rewrite it after changing a table:
 *
 * <pre>
 * mvn -B -ntp -o -q -pl worker-engine -am test -Dtest=StateMachineDiagramsTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.writeDiagrams=true
 * </pre>
 */
class StateMachineDiagramsTest {
  static final String COMMAND =
      "mvn -B -ntp -o -q -pl worker-engine -am test -Dtest=StateMachineDiagramsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.writeDiagrams=true";

  static Path docs() {
    String root = System.getProperty("sluice.root");
    Path base = root == null ? Path.of("..") : Path.of(root);
    return base.resolve("docs/state-machines.md");
  }

  static String generate() {
    StringBuilder sb = new StringBuilder();
    sb.append("# The engine's state machines\n\n")
        .append("<!-- Generated from the tables in worker-engine (io.sluice.engine.internal:")
        .append(" InstanceMachine, NodeMachine, Edges) by StateMachineDiagramsTest; do not edit.")
        .append(" -->\n\n")
        .append(
            "Every state change of an instance, of a node and of an edge goes through one table"
                + " of rows `(state, event) -> (next state, action)`"
                + " (`io.sluice.engine.internal.StateMachine`). The engine looks the row up, moves"
                + " the entity to the row's next state, then runs the row's action, which may raise"
                + " further events. What the engine tolerates on purpose (late results, redelivered"
                + " edges, events for an instance that ended) are rows whose action ignores the"
                + " event. An event in a state the table does not name throws an"
                + " `IllegalTransition` naming the entity (instance id, node or edge), the state,"
                + " the event and the instance's history; the instance fails with"
                + " `InternalError`.\n\n")
        .append(
            "Cluster behaviour is the instance's `InstanceScope`: `EmbeddedScope` (everything"
                + " local) or `PartScope` (one worker's part: it routes edges REMOTE or"
                + " BY_REFERENCE, exports results before their edges leave, reports a part"
                + " result).\n\n")
        .append("## Keeping this file and the tests honest\n\n")
        .append("- This file is generated from the tables; `StateMachineDiagramsTest` fails when")
        .append(
            " it differs. After changing a table, regenerate it (from the repository root):\n\n")
        .append("  ```sh\n  ")
        .append(COMMAND)
        .append("\n  ```\n\n")
        .append(
            "- Every row must be exercised by the engine's tests. Under test, rows count their"
                + " hits (`sluice.fsm.coverage`, a `static final` flag, off in production);"
                + " `StateMachineCoverageOrder` (configured in"
                + " `worker-engine/src/test/resources/junit-platform.properties`) runs the"
                + " `io.sluice.engine.*` test classes first, then `StateMachineCoverageTest`, which"
                + " fails naming every row no test hit, then the module's other tests. It is"
                + " skipped when the run does not hold every engine test class (e.g."
                + " `-Dtest=EngineTest`).\n");
    for (StateMachine<?, ?, ?> m : StateMachineCoverageTest.tables()) {
      sb.append("\n## ")
          .append(Character.toUpperCase(m.entity.charAt(0)))
          .append(m.entity.substring(1))
          .append(" (")
          .append(m.rows().size())
          .append(" rows)\n\n")
          .append(m.description)
          .append("\n\n")
          .append(m.mermaid())
          .append('\n')
          .append(m.markdown());
    }
    return sb.toString();
  }

  @Test
  void docsShowWhatTheTablesSay() throws Exception {
    Path file = docs();
    String expected = generate();
    if (Boolean.getBoolean("sluice.writeDiagrams")) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(file)).as(file + " exists (generate it: " + COMMAND + ")").isTrue();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(file + " is generated from the tables; regenerate it: " + COMMAND)
        .isEqualTo(expected);
  }
}
