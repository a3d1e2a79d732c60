package io.sluice.master.limits;

import io.sluice.cluster.api.ClusterException;
import io.sluice.cluster.config.LimitsConfig;
import io.sluice.model.GraphWalk;
import io.sluice.model.WorkflowGraph;
import java.nio.charset.StandardCharsets;

/**
 * The master's checks of what clients send against the cluster's {@code limits:} section (docs/
 * security.md, Limits). Sizes over a limit are the request's fault (INVALID_ARGUMENT, do not
 * retry); a used-up rate or instance count is RESOURCE_EXHAUSTED (retry later). Every message is
 * one line naming the limit's key, its value and what was refused.
 */
public final class Admission {
  private final LimitsConfig limits;
  private final TokenBuckets events;

  public Admission(LimitsConfig limits) {
    this.limits = limits;
    this.events = new TokenBuckets(limits.eventsPerSecond(), limits.eventBurst(), System::nanoTime);
  }

  public LimitsConfig limits() {
    return limits;
  }

  /** A definition's text (RegisterWorkflow, GetPlacement of a source). */
  public void definitionText(String text) {
    if (text == null) {
      return;
    }
    // a UTF-8 byte count without copying the text: at most 3 bytes a char
    if ((long) text.length() * 3 <= limits.definitionBytes()) {
      return;
    }
    long bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.definitionBytes()) {
      throw invalid("definition text", bytes, "definitionSize", limits.definitionBytes(), "bytes");
    }
  }

  /** A parsed definition's nodes, nested ones included. */
  public void nodes(WorkflowGraph graph) {
    int[] count = {0};
    GraphWalk.depthFirst(
        graph,
        new GraphWalk.Visitor() {
          @Override
          public void visitNode(GraphWalk.NestedNode n) {
            count[0]++;
          }
        });
    if (count[0] > limits.nodes()) {
      throw invalid("workflow " + graph.name(), count[0], "nodes", limits.nodes(), "nodes");
    }
  }

  /** An instance's input, in bytes of its JSON. */
  public void input(long bytes) {
    if (bytes > limits.inputBytes()) {
      throw invalid("input", bytes, "inputSize", limits.inputBytes(), "bytes");
    }
  }

  /** One event sent over gRPC, in bytes of its message. */
  public void event(long bytes) {
    if (bytes > limits.eventBytes()) {
      throw invalid("event", bytes, "eventSize", limits.eventBytes(), "bytes");
    }
  }

  /**
   * Takes one event from {@code client}'s rate.
   *
   * @return 0 when it may send, else the whole seconds to wait (at least 1)
   */
  public long eventRate(String client) {
    long wait = events.take(client);
    return wait == 0 ? 0 : Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
  }

  /** The one-line refusal of an event over the rate, for gRPC and HTTP alike. */
  public String rateRefusal(String client, long retryAfterSeconds) {
    return "client "
        + client
        + " sends events faster than limits.eventsPerSecond ("
        + limits.eventsPerSecond()
        + "/s, burst limits.eventBurst "
        + limits.eventBurst()
        + "); retry after "
        + retryAfterSeconds
        + " s, or raise the limits in the cluster config";
  }

  /** Throws RESOURCE_EXHAUSTED when {@code client} is over its event rate. */
  public void eventRateOrThrow(String client) {
    long wait = eventRate(client);
    if (wait > 0) {
      throw new ClusterException(ClusterException.Reason.EXHAUSTED, rateRefusal(client, wait));
    }
  }

  /** Whether one more instance of {@code workflow} may start, {@code running} running now. */
  public void instances(String workflow, int running) {
    int max = limits.instancesPerWorkflow();
    if (max > 0 && running >= max) {
      throw new ClusterException(
          ClusterException.Reason.EXHAUSTED,
          "workflow "
              + workflow
              + " has "
              + running
              + " instances running, limits.instancesPerWorkflow is "
              + max
              + "; retry when one ends, or raise limits.instancesPerWorkflow in the cluster"
              + " config");
    }
  }

  /** Whether the instance limit applies at all (counting running instances costs a scan). */
  public boolean limitsInstances() {
    return limits.instancesPerWorkflow() > 0;
  }

  private static ClusterException invalid(
      String what, long got, String key, long limit, String unit) {
    return new ClusterException(
        ClusterException.Reason.INVALID, LimitsConfig.refusal(what, got, key, limit, unit));
  }
}
