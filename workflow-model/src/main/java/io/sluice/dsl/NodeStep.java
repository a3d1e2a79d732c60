package io.sluice.dsl;

import io.sluice.model.Catcher;
import io.sluice.model.Edge;
import io.sluice.model.Hints;
import io.sluice.model.Join;
import io.sluice.model.NodeOptions;
import io.sluice.model.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A step that is one node, with the options every node may carry: data mappings, retry, catch,
 * timeout, join and hints. Setters return this step, so they chain.
 *
 * @param <S> the concrete step type
 */
public abstract class NodeStep<S extends NodeStep<S>> extends Step {
  /** One catch entry: error types and the step that handles them. */
  private record Handler(List<String> errors, Step step) {}

  final String id;
  private String input;
  private String output;
  private RetryPolicy retry = RetryPolicy.NONE;
  private Duration timeout;
  private Join join = Join.ALL;
  private Hints hints = Hints.NONE;
  private final List<Handler> handlers = new ArrayList<>();

  NodeStep(String id) {
    this.id = id;
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /** jq mapping of the node's default input ({@code $workflow} is the workflow input). */
  public S input(String jq) {
    this.input = jq;
    return self();
  }

  /** jq mapping of the node's result ({@code $input} is the mapped input). */
  public S output(String jq) {
    this.output = jq;
    return self();
  }

  /** Up to {@code maxAttempts} attempts, backoff doubling from {@code initialBackoff}. */
  public S retry(int maxAttempts, Duration initialBackoff) {
    return retry(RetryPolicy.of(maxAttempts, initialBackoff));
  }

  public S retry(RetryPolicy policy) {
    this.retry = policy;
    return self();
  }

  /** How long one attempt may take; then it fails with error type {@code Timeout}. */
  public S timeout(Duration limit) {
    this.timeout = limit;
    return self();
  }

  /**
   * Where errors of these types (empty = any) go once retries are spent. The handler's exits flow
   * on to whatever follows this step, like this step's own result.
   */
  public S catchError(List<String> errorTypes, Step handler) {
    handlers.add(new Handler(List.copyOf(errorTypes), handler));
    return self();
  }

  /** Catches every error type. */
  public S catchAny(Step handler) {
    return catchError(List.of(), handler);
  }

  public S join(Join join) {
    this.join = join;
    return self();
  }

  /** Fires on the first result of any incoming edge. */
  public S joinAny() {
    return join(Join.ANY);
  }

  public S hints(Hints hints) {
    this.hints = hints;
    return self();
  }

  /**
   * Builds this step's node with {@code options}, puts it into {@code a} (with {@link
   * Assembly#put}) with anything it owns (switch branches), and returns where control enters and
   * leaves it.
   */
  abstract Fragment build(NodeOptions options, Assembly a);

  @Override
  final Fragment addTo(Assembly a) {
    a.reserve(id);
    List<Catcher> catchers = new ArrayList<>();
    List<String> handlerExits = new ArrayList<>();
    for (Handler h : handlers) {
      Fragment f = h.step().addTo(a);
      String target = a.singleEntry(f, "a catch handler of '" + id + "'");
      catchers.add(new Catcher(h.errors(), target, a.location()));
      a.edge(id, target, Edge.Kind.CATCH);
      handlerExits.addAll(f.exits());
    }
    NodeOptions options =
        new NodeOptions(
            a.expr(input), a.expr(output), retry, catchers, timeout, join, hints, a.location());
    Fragment own = build(options, a);
    List<String> exits = new ArrayList<>(own.exits());
    exits.addAll(handlerExits);
    return new Fragment(own.entries(), exits);
  }
}
