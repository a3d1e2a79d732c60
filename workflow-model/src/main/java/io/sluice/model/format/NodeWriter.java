package io.sluice.model.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.EndNode;
import io.sluice.model.EventWaitNode;
import io.sluice.model.Hints;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.RetryPolicy;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WaitNode;
import io.sluice.model.WorkflowGraph;
import java.time.Duration;
import java.util.List;

/** Writes one node of a graph in the native format (the inverse of {@link NodeReader}). */
final class NodeWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private NodeWriter() {}

  /**
   * Writes {@code n}; {@code inner} is its inner graph ({@link Node#innerGraph()}) already written
   * as an inline workflow, null for a node without one.
   */
  static ObjectNode write(Node n, List<Edge> out, ObjectNode inner) {
    ObjectNode o = F.objectNode();
    o.put("id", n.id());
    o.put("type", n.kind());
    if (n instanceof TaskNode t) {
      o.put("function", t.function());
    } else if (n instanceof SwitchNode s) {
      ArrayNode cases = o.putArray("cases");
      for (SwitchNode.Case c : s.cases()) {
        ObjectNode co = cases.addObject();
        co.put("when", c.condition().source());
        co.set("next", NativeWriter.target(c.target(), Edge.Kind.BRANCH, out));
      }
      if (s.defaultTarget() != null) {
        o.set("default", NativeWriter.target(s.defaultTarget(), Edge.Kind.BRANCH, out));
      }
    } else if (n instanceof MapNode m) {
      o.put("items", m.items().source());
      if (m.maxConcurrency() > 0) {
        o.put("maxConcurrency", m.maxConcurrency());
      }
      inner(o, "iterator", m.iterator(), m.id(), inner);
    } else if (n instanceof LoopNode l) {
      inner(o, "body", l.body(), l.id(), inner);
      o.put("while", l.condition().source());
      o.put("maxIterations", l.maxIterations());
    } else if (n instanceof WaitNode w) {
      o.put("duration", Durations.format(w.duration()));
    } else if (n instanceof EventWaitNode e) {
      o.put("eventType", e.eventType());
      if (e.correlation() != null) {
        o.put("correlation", e.correlation().source());
      }
      if (e.correlate() != null) {
        ObjectNode c = o.putObject("correlate");
        if (e.correlate().extension() == null) {
          c.put("subject", e.correlate().value().source());
        } else {
          c.put("extension", e.correlate().extension());
          c.put("equals", e.correlate().value().source());
        }
      }
    } else if (n instanceof SubWorkflowNode s) {
      o.set("workflow", inner);
    } else if (n instanceof EndNode e) {
      if (e.fail()) {
        o.put("fail", true);
      }
      if (e.error() != null) {
        o.put("error", e.error());
      }
      if (e.cause() != null) {
        o.put("cause", e.cause());
      }
    }
    List<Edge> next = out.stream().filter(e -> e.kind() == Edge.Kind.NEXT).toList();
    if (next.size() == 1) {
      o.set("next", NativeWriter.target(next.get(0).to(), Edge.Kind.NEXT, next));
    } else if (!next.isEmpty()) {
      ArrayNode a = o.putArray("next");
      next.forEach(e -> a.add(NativeWriter.target(e.to(), Edge.Kind.NEXT, List.of(e))));
    }
    options(o, n.options(), out);
    return o;
  }

  /** Writes a one-task inner graph as the {@code function} shorthand, else inline. */
  private static void inner(
      ObjectNode o, String key, WorkflowGraph g, String ownerId, ObjectNode written) {
    WorkflowGraph shorthand =
        g.nodes().size() == 1 && g.node(ownerId) instanceof TaskNode t
            ? NodeReader.oneTask(ownerId, t.function(), null)
            : null;
    if (g.equals(shorthand)) {
      o.put("function", ((TaskNode) g.node(ownerId)).function());
    } else {
      o.set(key, written);
    }
  }

  private static void options(ObjectNode o, NodeOptions opts, List<Edge> out) {
    if (opts.input() != null) {
      o.put("input", opts.input().source());
    }
    if (opts.output() != null) {
      o.put("output", opts.output().source());
    }
    if (!opts.retry().equals(RetryPolicy.NONE)) {
      RetryPolicy r = opts.retry();
      ObjectNode ro = o.putObject("retry");
      ro.put("maxAttempts", r.maxAttempts());
      ro.put("initialBackoff", Durations.format(r.initialBackoff()));
      ro.put("multiplier", r.multiplier());
      ro.put("maxBackoff", Durations.format(r.maxBackoff()));
      ro.put("jitter", r.jitter());
      if (!r.retryOn().isEmpty()) {
        r.retryOn().forEach(ro.putArray("retryOn")::add);
      }
    }
    if (!opts.catchers().isEmpty()) {
      ArrayNode ca = o.putArray("catch");
      for (Catcher c : opts.catchers()) {
        ObjectNode co = ca.addObject();
        if (!c.errors().isEmpty()) {
          c.errors().forEach(co.putArray("errors")::add);
        }
        co.set("next", NativeWriter.target(c.next(), Edge.Kind.CATCH, out));
      }
    }
    if (opts.timeout() != null) {
      o.put("timeout", Durations.format(opts.timeout()));
    }
    if (!opts.join().isAll()) {
      if (opts.join().quorum() == 1) {
        o.put("join", "any");
      } else {
        o.put("join", opts.join().quorum());
      }
    }
    Hints h = opts.hints();
    if (!h.equals(Hints.NONE)) {
      ObjectNode ho = o.putObject("hints");
      if (!h.computeTime().equals(Duration.ZERO)) {
        ho.put("computeTime", Durations.format(h.computeTime()));
      }
      if (h.outputBytes() > 0) {
        ho.put("outputBytes", h.outputBytes());
      }
      if (h.memoryBytes() > 0) {
        ho.put("memory", h.memoryBytes());
      }
      if (h.cores() > 0) {
        ho.put("cores", h.cores());
      }
    }
  }
}
