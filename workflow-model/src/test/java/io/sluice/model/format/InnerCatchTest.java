package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.validate.WorkflowValidator;
import org.junit.jupiter.api.Test;

/**
 * A catch inside an inner workflow: its CATCH edge leaves the node by its own id (the reader once
 * used the qualified name it gives problems, {@code outer/g}, which the validator then called an
 * unknown node).
 */
class InnerCatchTest {
  @Test
  void aCatchEdgeInAnInnerWorkflowLeavesTheNodeByItsOwnId() {
    WorkflowGraph g =
        new WorkflowLoader()
            .load(
                "rt.yaml",
                """
                sluice: "1.0"
                name: rt
                nodes:
                  - id: outer
                    type: subworkflow
                    workflow:
                      nodes:
                        - {id: g, type: pass, catch: [{next: h}]}
                        - {id: h, type: pass}
                """);
    WorkflowGraph inner = ((SubWorkflowNode) g.node("outer")).workflow();
    assertThat(inner.edges()).containsExactly(new Edge("g", "h", Edge.Kind.CATCH));
    assertThat(new WorkflowValidator().validate(g, f -> true)).isEmpty();
  }
}
