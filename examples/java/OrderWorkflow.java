import static io.sluice.dsl.Steps.choice;
import static io.sluice.dsl.Steps.end;
import static io.sluice.dsl.Steps.loop;
import static io.sluice.dsl.Steps.map;
import static io.sluice.dsl.Steps.onEvent;
import static io.sluice.dsl.Steps.parallel;
import static io.sluice.dsl.Steps.pass;
import static io.sluice.dsl.Steps.sequence;
import static io.sluice.dsl.Steps.subWorkflow;
import static io.sluice.dsl.Steps.task;
import static io.sluice.dsl.Steps.waitFor;

import io.sluice.dsl.Workflow;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An order workflow written with the Java DSL. It builds the same graph as examples/order.yaml
 * (a test checks that). Every function runs on the synthetic runtime, so it runs anywhere.
 */
public final class OrderWorkflow {
  private OrderWorkflow() {}

  /** The payment workflow, used below as one step of the order workflow. */
  public static WorkflowGraph payment() {
    return Workflow.named("payment")
        .function("charge", "synthetic", Map.of("computeMs", 3))
        .steps(task("charge", "charge").retry(3, Duration.ofMillis(100)))
        .build();
  }

  public static WorkflowGraph build() {
    return Workflow.named("orders")
        .version("1")
        .function("fetch", "synthetic", Map.of("computeMs", 5, "outputBytes", 256))
        .function("fb", "synthetic", Map.of("computeMs", 2))
        .function("fc", "synthetic", Map.of("computeMs", 1))
        .function("fp", "synthetic", Map.of())
        .steps(
            sequence(
                task("a", "fetch")
                    .retry(3, Duration.ofMillis(100))
                    .timeout(Duration.ofSeconds(2)),
                parallel(task("b", "fb"), task("c", "fc")),
                choice("route").when(".b.node == \"b\"", task("big", "fb")).otherwise(task("small", "fc")),
                map("each", "[.[]]", task("p", "fp")).maxConcurrency(4),
                waitFor("pause", Duration.ofMillis(10)),
                onEvent("approval", "com.example.approved")
                    .correlate(".data.id == $input.id")
                    .timeout(Duration.ofSeconds(1))
                    .catchError(List.of("Timeout"), pass("unapproved")),
                subWorkflow("pay", payment()),
                loop("again", pass("tick").output("{n: ((.n // 0) + 1)}"))
                    .whileTrue(".n < 3")
                    .maxIterations(5),
                end("done")))
        .output(".")
        .build();
  }
}
