package io.sluice.model;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Waits for an external CloudEvent of type {@code eventType}. An event reaches the wait either
 * addressed to the instance (the {@code sluiceinstance} extension, or a subject naming it) or, when
 * it names no instance, by correlation: {@code correlate} names an attribute of the event (its
 * subject or an extension) whose value must equal a key computed from the node's input, so the
 * event can be routed by a map lookup (docs/architecture.md, Event routing). {@code correlation}
 * (jq over the event as {@code {id, type, source, subject, data}}, with {@code $input} the node's
 * input; null = any) filters further and is the only test for waits without {@code correlate}. The
 * node's output is the event's data. The node's timeout, if any, fails it with error type {@code
 * Timeout}.
 */
public record EventWaitNode(
    String id, String eventType, Expr correlation, Correlate correlate, NodeOptions options)
    implements Node {
  public EventWaitNode {
    Ids.check(id);
    Objects.requireNonNull(eventType, "eventType");
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  /** A wait without a correlation key. */
  public EventWaitNode(String id, String eventType, Expr correlation, NodeOptions options) {
    this(id, eventType, correlation, null, options);
  }

  @Override
  public String kind() {
    return "event";
  }

  @Override
  public EventWaitNode withOptions(NodeOptions o) {
    return new EventWaitNode(id, eventType, correlation, correlate, o);
  }

  /**
   * The correlation key of an event wait: the event attribute {@link #attribute()} (the subject, or
   * the extension {@code extension}) must equal the text of {@code value}, a jq expression over the
   * node's input ({@code .} and {@code $input}; {@code $workflow} is the workflow input) evaluated
   * when the wait starts.
   *
   * @param extension the extension attribute's name, or null for the subject
   */
  public record Correlate(String extension, Expr value) {
    /**
     * CloudEvents extension names: lower-case letters and digits (spec 1.0, "Attribute Naming").
     */
    public static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    /** Context attributes of CloudEvents 1.0, which an extension may not be named after. */
    public static final Set<String> CORE_ATTRIBUTES =
        Set.of(
            "id",
            "source",
            "specversion",
            "type",
            "datacontenttype",
            "dataschema",
            "subject",
            "time",
            "data",
            "data_base64");

    public Correlate {
      Objects.requireNonNull(value, "correlate value");
      if (extension != null
          && (!EXTENSION_NAME.matcher(extension).matches()
              || CORE_ATTRIBUTES.contains(extension))) {
        throw new IllegalArgumentException(
            "correlate extension '"
                + extension
                + "' is not a CloudEvents extension name (1-20 lower-case letters or digits,"
                + " not a core attribute such as subject or type)");
      }
    }

    public static Correlate subject(Expr value) {
      return new Correlate(null, value);
    }

    public static Correlate extension(String name, Expr value) {
      return new Correlate(name, value);
    }

    /** {@code subject}, or the extension's name. */
    public String attribute() {
      return extension == null ? "subject" : extension;
    }
  }
}
