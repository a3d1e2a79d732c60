package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One entry of a FaaSFlow {@code functions} list, as read (before it becomes a node).
 *
 * @param name the function's (node's) name
 * @param source the function it runs, or {@code VIRTUAL} (a switch) or {@code END} (a sink)
 * @param runtimeSeconds expected compute time
 * @param memoryBytes memory hint derived from {@code mem_usage} (0 = unknown)
 * @param splitRatio foreach fan-out width when this function is a foreach child (default 1)
 * @param inputs named inputs
 * @param outputs named outputs
 * @param nextType {@code pass}, {@code parallel}, {@code foreach}, {@code switch} or null
 * @param nextNodes successors by name
 * @param conditions switch conditions, one per successor ({@code default} for the default)
 * @param json the entry itself, to locate problems
 */
record FaasflowFunction(
    String name,
    String source,
    double runtimeSeconds,
    long memoryBytes,
    int splitRatio,
    List<Port> inputs,
    List<Port> outputs,
    String nextType,
    List<String> nextNodes,
    List<String> conditions,
    JsonNode json) {

  static final String VIRTUAL = "VIRTUAL";
  static final String END = "END";

  /**
   * A named input or output: {@code type} is pass/key/keys/normal; {@code function} and {@code
   * parameter} say where the value comes from ({@code INPUT} = the workflow input).
   */
  record Port(String name, String type, String function, String parameter, long size) {}

  boolean isVirtual() {
    return VIRTUAL.equals(source);
  }

  boolean isEnd() {
    return END.equals(source);
  }

  boolean isSwitch() {
    return "switch".equals(nextType);
  }

  long outputBytes() {
    long sum = 0;
    for (Port p : outputs) {
      sum = ByteSizes.plus(sum, p.size());
    }
    return sum;
  }
}
