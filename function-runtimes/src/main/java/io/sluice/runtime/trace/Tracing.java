package io.sluice.runtime.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * OpenTelemetry traces of instances: one trace per instance, its root span on the master ({@link
 * #startInstance}), a child span per node invocation on the worker that runs it ({@link #invoke}),
 * and the W3C {@code traceparent} of the running call for runtimes that pass it on (HTTP headers,
 * Lambda's client context: {@link #currentTraceparent}).
 *
 * <p>Off until a process {@link #install}s an SDK (the master and worker do when {@code
 * OTEL_TRACES_EXPORTER} is set). Off, every method is one volatile read and returns: the hot path
 * pays nothing measurable (docs/configuration.md gives the numbers).
 *
 * <p>Workers learn an instance's context from its StartInstance and from each edge event that
 * carries one ({@link #joined}); it is kept per root instance id in a bounded map (the latest
 * {@value #MAX_INSTANCES} instances), so a part that outlives its entry, or one moved to another
 * worker, learns it again from the next edge event it receives.
 */
public final class Tracing {
  /** The W3C header, CloudEvents extension and client-context key that carry a context. */
  public static final String TRACEPARENT = "traceparent";

  /** How many instances' contexts a process keeps (an entry is about 200 bytes). */
  static final int MAX_INSTANCES = 10_000;

  static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("sluice.instance");
  static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey("sluice.workflow");
  static final AttributeKey<String> NODE = AttributeKey.stringKey("sluice.node");
  static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("sluice.function");
  static final AttributeKey<String> RUNTIME = AttributeKey.stringKey("sluice.runtime");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("sluice.attempt");
  static final AttributeKey<String> WORKER = AttributeKey.stringKey("sluice.worker");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("sluice.state");

  private static final TextMapGetter<String> HEADER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  /** Null while tracing is off. */
  private static volatile Tracer tracer;

  /** Root instance id -> its instance span's context, the latest {@link #MAX_INSTANCES}. */
  private static final Map<String, Context> INSTANCES =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
              return size() > MAX_INSTANCES;
            }
          });

  private Tracing() {}

  /** Turns tracing on with {@code otel}'s tracer provider (a process's SDK, or a test's). */
  public static void install(OpenTelemetry otel) {
    tracer = otel.getTracer("io.sluice");
  }

  /** Turns tracing off and forgets every instance's context (tests). */
  public static void uninstall() {
    tracer = null;
    INSTANCES.clear();
  }

  public static boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the root span of an instance ({@code instance <workflow>}) and keeps its context for
   * {@link #traceparentOf}; null when tracing is off.
   */
  public static InstanceSpan startInstance(String instanceId, String workflow) {
    Tracer t = tracer;
    if (t == null) {
      return null;
    }
    Span span =
        t.spanBuilder("instance " + workflow)
            .setNoParent()
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(INSTANCE, instanceId)
            .setAttribute(WORKFLOW, workflow)
            .startSpan();
    INSTANCES.put(instanceId, Context.root().with(span));
    return new InstanceSpan(instanceId, span);
  }

  /**
   * The {@code traceparent} of an instance this process knows the trace of, or null (tracing off,
   * or an instance started without one).
   */
  public static String traceparentOf(String instanceId) {
    if (tracer == null) {
      return null;
    }
    Context c = INSTANCES.get(instanceId);
    return c == null ? null : format(Span.fromContext(c).getSpanContext());
  }

  /**
   * Records the trace an instance runs in, from a StartInstance or an edge event ({@code
   * traceparent} may be null or empty: none was sent). The first one known is kept.
   */
  public static void joined(String instanceId, String traceparent) {
    if (tracer == null || traceparent == null || traceparent.isEmpty()) {
      return;
    }
    if (INSTANCES.containsKey(instanceId)) {
      return;
    }
    Context c =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, HEADER);
    if (Span.fromContext(c).getSpanContext().isValid()) {
      INSTANCES.putIfAbsent(instanceId, c);
    }
  }

  /** Forgets an instance's context (it ended). */
  public static void forget(String instanceId) {
    if (tracer != null) {
      INSTANCES.remove(instanceId);
    }
  }

  /**
   * Calls {@code runtime} for {@code inv} inside a span {@code node <node>} that is a child of the
   * instance's span (root instance {@code rootInstance}), ended when the call completes and marked
   * as an error when it fails. Off, this is {@code runtime.invoke(inv)}.
   */
  public static CompletionStage<JsonNode> invoke(
      FunctionRuntime runtime, Invocation inv, String rootInstance, String worker) {
    Tracer t = tracer;
    if (t == null) {
      return runtime.invoke(inv);
    }
    Context parent = INSTANCES.get(rootInstance);
    var b =
        t.spanBuilder("node " + inv.nodeId())
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(INSTANCE, inv.instanceId())
            .setAttribute(NODE, inv.nodeId())
            .setAttribute(FUNCTION, inv.function().name())
            .setAttribute(RUNTIME, inv.function().runtime())
            .setAttribute(ATTEMPT, (long) inv.attempt());
    if (worker != null) {
      b.setAttribute(WORKER, worker);
    }
    Span span = (parent == null ? b.setNoParent() : b.setParent(parent)).startSpan();
    CompletionStage<JsonNode> f;
    try (Scope ignored = span.makeCurrent()) {
      f = runtime.invoke(inv);
    } catch (RuntimeException e) {
      failed(span, e);
      span.end();
      throw e;
    }
    f.whenComplete(
        (out, ex) -> {
          if (ex != null) {
            failed(span, ex);
          }
          span.end();
        });
    return f; // the runtime's own stage: callers may rely on it (isDone, cancel)
  }

  /**
   * The {@code traceparent} of the span current on this thread (a node's call, while its runtime's
   * {@code invoke} runs), or null when tracing is off or no span is current.
   */
  public static String currentTraceparent() {
    if (tracer == null) {
      return null;
    }
    SpanContext sc = Span.current().getSpanContext();
    return sc.isValid() ? format(sc) : null;
  }

  static void failed(Span span, Throwable ex) {
    Throwable cause =
        ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
            ? ex.getCause()
            : ex;
    span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
    span.recordException(cause);
  }

  /** {@code 00-<trace id>-<span id>-<flags>}: W3C Trace Context, version 00. */
  static String format(SpanContext sc) {
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** An instance's root span, ended once with the instance's outcome. */
  public static final class InstanceSpan {
    private final String instanceId;
    private final Span span;

    InstanceSpan(String instanceId, Span span) {
      this.instanceId = instanceId;
      this.span = span;
    }

    public String traceparent() {
      return format(span.getSpanContext());
    }

    /**
     * Ends the span with the instance's final state ({@code COMPLETED}, {@code FAILED}...); {@code
     * error} (null when none) marks it as an error.
     */
    public void end(String state, String error) {
      span.setAttribute(STATE, state);
      if (error != null) {
        span.setStatus(StatusCode.ERROR, error);
      }
      span.end();
      INSTANCES.remove(instanceId);
    }
  }
}
