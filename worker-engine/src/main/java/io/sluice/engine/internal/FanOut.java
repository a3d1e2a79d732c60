package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.engine.internal.TriggerEvent.ErrorInfo;
import io.sluice.model.LoopNode;
import io.sluice.model.MapNode;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import java.util.HashMap;
import java.util.Map;

/**
 * The child instances of one attempt of a map, loop or sub-workflow node. A map is a dynamic join:
 * its width is known only when its items are; it completes when every child has. Confined to the
 * parent instance's thread like the rest of its state.
 */
final class FanOut {
  private final Trigger trigger;
  private final int attempt;
  private final JsonNode[] items;
  private final JsonNode[] results;
  private final int limit;
  private final Map<Integer, Instance> children = new HashMap<>();
  private int next;
  private int done;
  private int iteration;

  private FanOut(Trigger trigger, int attempt, JsonNode[] items, int limit) {
    this.trigger = trigger;
    this.attempt = attempt;
    this.items = items;
    this.results = new JsonNode[items.length];
    this.limit = limit <= 0 ? Integer.MAX_VALUE : limit;
  }

  static void start(Instance inst, Trigger t, JsonNode in, int attempt) {
    switch (t.action) {
      case EXPAND_MAP -> {
        MapNode map = (MapNode) t.node;
        JsonNode list;
        try {
          list = JqEvaluator.shared().first(map.items(), in, Map.of("workflow", inst.input));
        } catch (ExpressionException ex) {
          Steps.started(inst, t.index, 0);
          NodeOutcomes.failure(
              inst, t.index, new ErrorInfo(Instance.EXPRESSION_FAILED, ex.getMessage(), false));
          return;
        }
        Steps.started(inst, t.index, list.isArray() ? list.size() : 0);
        if (!list.isArray()) {
          NodeOutcomes.failure(
              inst,
              t.index,
              new ErrorInfo(
                  Instance.EXPRESSION_FAILED,
                  "map items '" + map.items() + "' gave " + list.getNodeType() + ", not an array",
                  false));
          return;
        }
        JsonNode[] items = new JsonNode[list.size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = list.get(i);
        }
        if (items.length == 0) {
          NodeOutcomes.result(inst, t.index, JsonNodeFactory.instance.arrayNode(), -1);
          return;
        }
        FanOut f = new FanOut(t, attempt, items, map.maxConcurrency());
        inst.fanOuts().put(t.index, f);
        f.launch(inst);
      }
      case RUN_LOOP, START_SUBWORKFLOW -> {
        FanOut f = new FanOut(t, attempt, new JsonNode[0], 1);
        inst.fanOuts().put(t.index, f);
        f.iteration = 1;
        f.startChild(inst, 1, in);
      }
      default -> throw new IllegalStateException("not a fan-out node: " + t.nodeId);
    }
  }

  private void launch(Instance inst) {
    while (next < items.length && children.size() < limit) {
      int i = next++;
      startChild(inst, i, items[i]);
    }
  }

  private void startChild(Instance inst, int index, JsonNode input) {
    String childId = inst.id + "." + trigger.nodeId + "." + index;
    Instance child =
        new Instance(
            childId,
            trigger.child,
            inst.ctx,
            input,
            inst.stats,
            inst,
            trigger.index,
            index,
            attempt,
            EmbeddedScope.INSTANCE);
    if (trigger.action == Action.EXPAND_MAP) {
      child.itemsTotal = items.length;
    }
    children.put(index, child);
    Steps.itemStarted(child);
    inst.ctx.engine.started(child);
    child.post(
        TriggerEvent.of(
            TriggerEvent.Kind.STARTED, -1, 0, null, inst.ctx.scheduler.currentTimeMillis()));
  }

  /** The CHILD_DONE action of node {@code k}'s current attempt. */
  static void childDone(Instance inst, int k, TriggerEvent e) {
    Map<Integer, FanOut> all = inst.fanOutsOrNull();
    FanOut f = all == null ? null : all.get(k);
    if (f == null) {
      throw new IllegalStateException(
          "node '" + inst.wf.triggers[k].nodeId + "' runs no children in instance " + inst.id);
    }
    f.childDone(inst, e);
  }

  private void childDone(Instance inst, TriggerEvent e) {
    Instance child = children.remove(e.index());
    if (child == null) {
      // A child ends once (its own table) and cancelled children report nothing.
      throw new IllegalStateException(
          "child "
              + e.index()
              + " of node '"
              + trigger.nodeId
              + "' in instance "
              + inst.id
              + " reported twice, or was never started");
    }
    Steps.itemEnded(child, e.error());
    if (e.error() != null) {
      NodeOutcomes.failure(inst, trigger.index, e.error());
      return;
    }
    JsonNode out = e.payload();
    switch (trigger.action) {
      case EXPAND_MAP -> {
        results[e.index()] = out;
        done++;
        if (done == items.length) {
          inst.fanOuts().remove(trigger.index);
          ArrayNode array = JsonNodeFactory.instance.arrayNode(results.length);
          for (JsonNode r : results) {
            array.add(r);
          }
          NodeOutcomes.result(inst, trigger.index, array, -1);
        } else {
          launch(inst);
        }
      }
      case RUN_LOOP -> {
        LoopNode loop = (LoopNode) trigger.node;
        boolean again;
        try {
          again =
              iteration < loop.maxIterations()
                  && JqEvaluator.truthy(
                      JqEvaluator.shared()
                          .first(
                              loop.condition(),
                              out,
                              Map.of(
                                  "iteration",
                                  IntNode.valueOf(iteration),
                                  "workflow",
                                  inst.input)));
        } catch (ExpressionException ex) {
          inst.fanOuts().remove(trigger.index);
          NodeOutcomes.failure(
              inst,
              trigger.index,
              new ErrorInfo(Instance.EXPRESSION_FAILED, ex.getMessage(), false));
          return;
        }
        if (again) {
          iteration++;
          startChild(inst, iteration, out);
        } else {
          inst.fanOuts().remove(trigger.index);
          NodeOutcomes.result(inst, trigger.index, out, -1);
        }
      }
      default -> {
        inst.fanOuts().remove(trigger.index);
        NodeOutcomes.result(inst, trigger.index, out, -1);
      }
    }
  }

  private void cancelChildren() {
    for (Instance c : children.values()) {
      c.post(TriggerEvent.of(TriggerEvent.Kind.CANCEL, -1, 0, null, 0));
    }
    children.clear();
  }

  /** Cancels the children of a node's current attempt (it failed or timed out). */
  static void cancel(Instance inst, int node) {
    Map<Integer, FanOut> all = inst.fanOutsOrNull();
    FanOut f = all == null ? null : all.remove(node);
    if (f != null) {
      f.cancelChildren();
    }
  }

  /** Cancels every child of an instance that ended. */
  static void cancelAll(Instance inst) {
    Map<Integer, FanOut> all = inst.fanOutsOrNull();
    if (all != null) {
      all.values().forEach(FanOut::cancelChildren);
      all.clear();
    }
  }
}
