package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.thisptr.jackson.jq.BuiltinFunction;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * The jq functions that Amazon States Language needs and jq lacks, loaded into every jq scope
 * through {@code META-INF/services/net.thisptr.jackson.jq.Function}. They are named {@code asl_*}
 * so they cannot shadow a jq builtin. Their errors start with the ASL error name ({@code
 * States.Runtime: ...}); the engine reports them as {@code ExpressionFailed}.
 */
public final class AslJqFunctions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AslJqFunctions() {}

  private static JsonNode arg(Scope scope, List<Expression> args, int i, JsonNode in)
      throws JsonQueryException {
    List<JsonNode> out = new ArrayList<>(1);
    args.get(i).apply(scope, in, out::add);
    if (out.size() != 1) {
      throw new JsonQueryException("States.Runtime: an argument gave " + out.size() + " values");
    }
    return out.get(0);
  }

  /**
   * {@code asl_path(spec)}: a JSONPath evaluated on the input. {@code spec} is {@code [definite,
   * text, seg...]}: a segment is a field name, an index (negative counts from the end), {@code
   * {"*": true}} (every element or field value) or {@code {"slice": [from, to]}}. A definite path
   * that matches nothing fails with {@code States.Runtime}, as Step Functions does; an indefinite
   * one gives the array of its matches.
   */
  @BuiltinFunction(value = "asl_path/1", version = "[1.5, )")
  public static final class PathFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      JsonNode spec = arg(scope, args, 0, in);
      boolean definite = spec.get(0).asBoolean();
      List<JsonNode> current = new ArrayList<>(List.of(in));
      for (int i = 2; i < spec.size(); i++) {
        JsonNode seg = spec.get(i);
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode c : current) {
          step(c, seg, next);
        }
        current = next;
      }
      if (definite) {
        if (current.isEmpty()) {
          throw new JsonQueryException(
              "States.Runtime: the JSONPath '"
                  + spec.get(1).asText()
                  + "' could not be found in the input");
        }
        output.emit(current.get(0), null);
      } else {
        ArrayNode a = F.arrayNode();
        current.forEach(a::add);
        output.emit(a, null);
      }
    }

    private static void step(JsonNode c, JsonNode seg, List<JsonNode> next) {
      if (seg.isTextual()) {
        if (c.isObject() && c.has(seg.asText())) {
          next.add(c.get(seg.asText()));
        }
      } else if (seg.isNumber()) {
        if (c.isArray()) {
          int i = seg.asInt() < 0 ? c.size() + seg.asInt() : seg.asInt();
          if (i >= 0 && i < c.size()) {
            next.add(c.get(i));
          }
        }
      } else if (seg.has("*")) {
        if (c.isArray() || c.isObject()) {
          c.elements().forEachRemaining(next::add);
        }
      } else if (seg.has("slice") && c.isArray()) {
        JsonNode s = seg.get("slice");
        int from = s.get(0).isNull() ? 0 : s.get(0).asInt();
        int to = s.get(1).isNull() ? c.size() : s.get(1).asInt();
        from = Math.max(0, from < 0 ? c.size() + from : from);
        to = Math.min(c.size(), to < 0 ? c.size() + to : to);
        for (int i = from; i < to; i++) {
          next.add(c.get(i));
        }
      }
    }
  }

  /** {@code asl_has(spec)}: whether a definite JSONPath matches the input (for IsPresent). */
  @BuiltinFunction(value = "asl_has/1", version = "[1.5, )")
  public static final class HasFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      JsonNode spec = arg(scope, args, 0, in);
      List<JsonNode> current = new ArrayList<>(List.of(in));
      for (int i = 2; i < spec.size() && !current.isEmpty(); i++) {
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode c : current) {
          PathFn.step(c, spec.get(i), next);
        }
        current = next;
      }
      output.emit(F.booleanNode(!current.isEmpty()), null);
    }
  }

  /** {@code [data, algorithm] | asl_hash}: States.Hash, lower-case hex. */
  @BuiltinFunction(value = "asl_hash/0", version = "[1.5, )")
  public static final class HashFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      String alg = in.path(1).asText();
      if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(alg)) {
        throw new JsonQueryException(
            "States.Runtime: States.Hash algorithm must be MD5, SHA-1, SHA-256, SHA-384 or"
                + " SHA-512, got '"
                + alg
                + "'");
      }
      JsonNode data = in.path(0);
      String text = data.isTextual() ? data.asText() : data.toString();
      try {
        byte[] d = MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8));
        output.emit(TextNode.valueOf(HexFormat.of().formatHex(d)), null);
      } catch (NoSuchAlgorithmException e) {
        throw new JsonQueryException("States.Runtime: no " + alg + " here", e);
      }
    }
  }

  /** {@code asl_uuid}: States.UUID, a version 4 UUID. */
  @BuiltinFunction(value = "asl_uuid/0", version = "[1.5, )")
  public static final class UuidFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      output.emit(TextNode.valueOf(UUID.randomUUID().toString()), null);
    }
  }

  /**
   * {@code [start, end] | asl_random} or {@code [start, end, seed]}: States.MathRandom, an integer
   * in [start, end) (the AWS reference: start inclusive, end exclusive).
   */
  @BuiltinFunction(value = "asl_random/0", version = "[1.5, )")
  public static final class RandomFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      long start = in.path(0).asLong();
      long end = in.path(1).asLong();
      if (end <= start) {
        throw new JsonQueryException(
            "States.Runtime: States.MathRandom needs start < end, got " + start + ", " + end);
      }
      Random r = in.size() > 2 ? new Random(in.get(2).asLong()) : RANDOM;
      output.emit(F.numberNode(start + (long) (r.nextDouble() * (end - start))), null);
    }
  }

  /**
   * {@code asl_ts}: an RFC 3339 timestamp string ({@code 2016-03-14T01:59:00Z}, offsets and
   * fractions allowed) as epoch nanoseconds, or null when the input is not one (Choice's Timestamp
   * comparisons and IsTimestamp).
   */
  @BuiltinFunction(value = "asl_ts/0", version = "[1.5, )")
  public static final class TimestampFn implements Function {
    @Override
    public void apply(
        Scope scope, List<Expression> args, JsonNode in, Path ipath, PathOutput output, Version v)
        throws JsonQueryException {
      output.emit(nanos(in), null);
    }

    static JsonNode nanos(JsonNode in) {
      if (!in.isTextual()) {
        return F.nullNode();
      }
      try {
        java.time.Instant t =
            java.time.OffsetDateTime.parse(
                    in.asText(), java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
        return F.numberNode(
            java.math.BigInteger.valueOf(t.getEpochSecond())
                .multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .add(java.math.BigInteger.valueOf(t.getNano())));
      } catch (java.time.format.DateTimeParseException e) {
        return F.nullNode();
      }
    }
  }
}
