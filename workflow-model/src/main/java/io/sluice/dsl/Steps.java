package io.sluice.dsl;

import io.sluice.model.NodeOptions;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The steps of the workflow DSL; meant for {@code import static io.sluice.dsl.Steps.*}. Every step
 * builds exactly the graph its native-format twin reads to (docs/dsl.md).
 */
public final class Steps {
  private Steps() {}

  /** Steps one after the other. */
  public static Step sequence(Step... steps) {
    return new Sequence(List.of(steps));
  }

  /** Branches that run side by side; the step after them joins them all. */
  public static Step parallel(Step... branches) {
    return new Parallel(List.of(branches));
  }

  /** Calls function {@code function} (a name in the workflow's functions or the registry). */
  public static TaskStep task(String id, String function) {
    return new TaskStep(id, function);
  }

  /** A switch; add branches with {@code when(jq, step)} and {@code otherwise(step)}. */
  public static ChoiceStep choice(String id) {
    return new ChoiceStep(id);
  }

  /**
   * Runs {@code iterator} (a step or steps, as their own graph) once per element of {@code items}.
   */
  public static MapStep map(String id, String items, Step iterator) {
    return new MapStep(id, items, Assembly.inner(id, iterator));
  }

  /** A map whose iterator is another workflow. */
  public static MapStep map(String id, String items, WorkflowGraph iterator) {
    return new MapStep(id, items, iterator);
  }

  /** A map whose iterator calls one function (the native format's {@code function} shorthand). */
  public static MapStep map(String id, String items, String function) {
    return new MapStep(id, items, oneTask(id, function));
  }

  /** A bounded loop over {@code body}; set {@code whileTrue(jq)}. */
  public static LoopStep loop(String id, Step body) {
    return new LoopStep(id, Assembly.inner(id, body));
  }

  public static LoopStep loop(String id, WorkflowGraph body) {
    return new LoopStep(id, body);
  }

  /** A loop whose body calls one function. */
  public static LoopStep loop(String id, String function) {
    return new LoopStep(id, oneTask(id, function));
  }

  /** Waits for a timer. */
  public static WaitStep waitFor(String id, Duration duration) {
    return new WaitStep(id, duration);
  }

  /** Waits for an external CloudEvent of type {@code eventType}. */
  public static EventStep onEvent(String id, String eventType) {
    return new EventStep(id, eventType);
  }

  /** Runs another workflow as one step. */
  public static SubWorkflowStep subWorkflow(String id, WorkflowGraph workflow) {
    return new SubWorkflowStep(id, workflow);
  }

  /** A workflow as a step, named by the workflow's name (the substitution principle). */
  public static SubWorkflowStep step(WorkflowGraph workflow) {
    return new SubWorkflowStep(workflow.name(), workflow);
  }

  public static SubWorkflowStep step(Workflow workflow) {
    return step(workflow.build());
  }

  /** Does nothing; a join point or a place to reshape data. */
  public static PassStep pass(String id) {
    return new PassStep(id);
  }

  /** Ends its path successfully. */
  public static EndStep end(String id) {
    return new EndStep(id, false, null, null);
  }

  /** Fails the whole instance with an error type and a cause. */
  public static EndStep fail(String id, String error, String cause) {
    return new EndStep(id, true, error, cause);
  }

  private static WorkflowGraph oneTask(String id, String function) {
    TaskNode t = new TaskNode(id, function, NodeOptions.DEFAULT);
    return new WorkflowGraph(id, "1", Map.of(id, t), List.of(), List.of(), Map.of(), null, null);
  }
}
