package io.sluice.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.runtime.FunctionContext;
import io.sluice.runtime.JavaFunction;
import java.util.concurrent.atomic.AtomicInteger;

/** A function named by class in tests; counts its instances. */
public final class UppercaseFunction implements JavaFunction {
  static final AtomicInteger INSTANCES = new AtomicInteger();

  public UppercaseFunction() {
    INSTANCES.incrementAndGet();
  }

  @Override
  public JsonNode apply(JsonNode input, FunctionContext ctx) {
    return TextNode.valueOf(input.asText().toUpperCase(java.util.Locale.ROOT));
  }
}
