package io.sluice.master;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Valid-shaped protobuf messages with hostile field values, built by reflection from any request
 * type, and byte-level mutations of their encoding: the wire fuzzer's inputs.
 */
final class RandomMessages {
  private static final int MAX_DEPTH = 4;
  private final SplittableRandom random;
  private final List<String> knownIds;

  /** Strings drawn from {@code knownIds} sometimes, so that calls also reach real objects. */
  RandomMessages(SplittableRandom random, List<String> knownIds) {
    this.random = random;
    this.knownIds = knownIds;
  }

  /** A message of {@code prototype}'s type with every field set at random (or left unset). */
  Message message(Message prototype) {
    return fill(prototype.newBuilderForType(), 0).build();
  }

  private Message.Builder fill(Message.Builder b, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (random.nextInt(4) == 0) {
        continue; // unset
      }
      if (f.isRepeated()) {
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          Object v = value(b, f, depth);
          if (v != null) {
            b.addRepeatedField(f, v);
          }
        }
      } else {
        Object v = value(b, f, depth);
        if (v != null) {
          b.setField(f, v);
        }
      }
    }
    return b;
  }

  private Object value(Message.Builder owner, FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> string();
      case BYTE_STRING -> ByteString.copyFrom(bytes());
      case INT -> intValue();
      case LONG -> longValue();
      case FLOAT -> (float) doubleValue();
      case DOUBLE -> doubleValue();
      case BOOLEAN -> random.nextBoolean();
      case ENUM -> {
        var values = f.getEnumType().getValues();
        yield random.nextInt(5) == 0
            ? f.getEnumType().findValueByNumberCreatingIfUnknown(random.nextInt(-3, 1000))
            : values.get(random.nextInt(values.size()));
      }
      case MESSAGE ->
          depth >= MAX_DEPTH ? null : fill(owner.newBuilderForField(f), depth + 1).build();
    };
  }

  private int intValue() {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Integer.MIN_VALUE;
      case 3 -> Integer.MAX_VALUE;
      default -> random.nextInt(-1000, 1000);
    };
  }

  private long longValue() {
    return switch (random.nextInt(6)) {
      case 0 -> 0L;
      case 1 -> -1L;
      case 2 -> Long.MIN_VALUE;
      case 3 -> Long.MAX_VALUE;
      default -> random.nextLong(-1_000_000, 1_000_000);
    };
  }

  private double doubleValue() {
    return switch (random.nextInt(6)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> -1.0;
      case 3 -> Double.MAX_VALUE;
      default -> random.nextDouble() * 100;
    };
  }

  /** Empty, huge, known and unknown ids, broken and valid JSON, YAML, control characters. */
  String string() {
    return switch (random.nextInt(16)) {
      case 0 -> "";
      case 1 -> "x".repeat(random.nextInt(1, 200_000));
      case 2, 3 -> knownIds.get(random.nextInt(knownIds.size()));
      case 4 -> "unknown-" + random.nextInt(1000);
      case 5 -> "{";
      case 6 -> "{\"a\": [1, 2, {\"b\": null}], \"c\": \"d\"}";
      case 7 -> "[".repeat(random.nextInt(1, 5000)) + "]".repeat(random.nextInt(0, 5000));
      case 8 -> "1e99999999";
      case 9 -> "null";
      case 10 -> "\u0000\u0001\uFFFF\uD83D\uDE00\t\n";
      case 11 -> "sluice: \"1.0\"\nname: f\nversion: \"1\"\nnodes: [{id: a, type: task}]\n";
      case 12 -> "a: &a [x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n";
      case 13 -> "../../etc/passwd";
      case 14 -> Long.toString(random.nextLong());
      default -> "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}";
    };
  }

  private byte[] bytes() {
    return switch (random.nextInt(4)) {
      case 0 -> new byte[0];
      case 1 -> string().getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] b = new byte[random.nextInt(0, 4096)];
        random.nextBytes(b);
        yield b;
      }
    };
  }

  /** The encoding, or (sometimes) a truncated, bit-flipped, spliced or random version of it. */
  byte[] encode(Message m) {
    byte[] b = m.toByteArray();
    return switch (random.nextInt(10)) {
      case 0 -> java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
      case 1 -> {
        byte[] c = b.clone();
        for (int i = 0; i < 1 + random.nextInt(8) && c.length > 0; i++) {
          c[random.nextInt(c.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield c;
      }
      case 2 -> {
        byte[] c = new byte[random.nextInt(1, 512)];
        random.nextBytes(c);
        yield c;
      }
      case 3 -> {
        byte[] garbage = new byte[random.nextInt(1, 64)];
        random.nextBytes(garbage);
        byte[] c = java.util.Arrays.copyOf(b, b.length + garbage.length);
        System.arraycopy(garbage, 0, c, b.length, garbage.length);
        yield c;
      }
      default -> b;
    };
  }
}
