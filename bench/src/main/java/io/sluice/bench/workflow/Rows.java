package io.sluice.bench.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.format.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Result} as one row of named values: the same columns in results.csv, the {@code --json}
 * rows and the table, so the three never disagree. Absent values (a figure with no completed
 * instance) are empty in CSV and null in JSON.
 */
final class Rows {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The configuration's columns, shared with samples.csv. */
  static final List<String> CONFIG_COLUMNS =
      List.of(
          "workflow",
          "mode",
          "store",
          "partitioner",
          "workers",
          "linkLatencyMs",
          "linkBandwidth",
          "progress",
          "clients",
          "rate");

  static final List<String> RESULT_COLUMNS =
      List.of(
          "instances",
          "p50Ms",
          "p95Ms",
          "p99Ms",
          "maxMs",
          "schedulingOverheadMs",
          "dataOverheadMs",
          "instancesPerSec",
          "invocationsPerSec",
          "masterMessages",
          "masterBytes",
          "crossWorkerEvents",
          "bytesLocal",
          "bytesPeer",
          "bytesRedis",
          "failed",
          "loadAverage",
          "firstError");

  private Rows() {}

  /** Every column of results.csv, in order. */
  static List<String> resultHeader() {
    List<String> h = new ArrayList<>(CONFIG_COLUMNS);
    h.addAll(RESULT_COLUMNS);
    return h;
  }

  /** The configuration's values: Double (NaN = absent), Integer/Long or String (null = absent). */
  static Map<String, Object> config(String workflow, Configuration c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workflow", workflow);
    m.put("mode", c.mode());
    m.put("store", c.cluster().store());
    m.put("partitioner", c.cluster().partitioner());
    m.put("workers", c.cluster().workers());
    m.put("linkLatencyMs", latencyMs(c.cluster().linkLatency()));
    m.put("linkBandwidth", c.cluster().linkBandwidth());
    m.put("progress", c.cluster().progressValue());
    m.put("clients", c.load().closed() ? (Object) c.load().clients() : null);
    m.put("rate", c.load().closed() ? null : (Object) c.load().rate());
    return m;
  }

  static Map<String, Object> result(Result r) {
    Map<String, Object> m = config(r.workflow(), r.config());
    m.put("instances", r.instances());
    m.put("p50Ms", r.p50Ms());
    m.put("p95Ms", r.p95Ms());
    m.put("p99Ms", r.p99Ms());
    m.put("maxMs", r.maxMs());
    m.put("schedulingOverheadMs", r.schedulingOverheadMs());
    m.put("dataOverheadMs", r.dataOverheadMs());
    m.put("instancesPerSec", r.instancesPerSec());
    m.put("invocationsPerSec", r.invocationsPerSec());
    m.put("masterMessages", r.masterMessages());
    m.put("masterBytes", r.masterBytes());
    m.put("crossWorkerEvents", r.crossWorkerEvents());
    m.put("bytesLocal", r.bytesLocal());
    m.put("bytesPeer", r.bytesPeer());
    m.put("bytesRedis", r.bytesRedis());
    m.put("failed", r.failed());
    m.put("loadAverage", r.loadAverage());
    m.put("firstError", r.firstError().isEmpty() ? null : r.firstError());
    return m;
  }

  /**
   * The {@code --json} row: the result's columns, without the load-loop key that does not apply.
   */
  static ObjectNode json(Result r) {
    ObjectNode o = JSON.createObjectNode();
    result(r)
        .forEach(
            (k, v) -> {
              if ((k.equals("clients") || k.equals("rate")) && v == null) {
                return; // clients|rate: the one that applies
              }
              if (v == null) {
                o.putNull(k);
              } else if (v instanceof Double d) {
                if (d.isNaN()) {
                  o.putNull(k);
                } else {
                  o.put(k, Math.round(d * 1000) / 1000.0);
                }
              } else if (v instanceof Integer i) {
                o.put(k, i);
              } else if (v instanceof Long l) {
                o.put(k, l);
              } else {
                o.put(k, v.toString());
              }
            });
    return o;
  }

  /** A value as CSV/table text: numbers plainly (3 decimals at most), absent as empty. */
  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return Format.num(d);
    }
    return v.toString();
  }

  /** {@code 1ms} as 1.0; null (no emulated latency) stays null. */
  static Double latencyMs(String latency) {
    return latency == null ? null : Durations.parse(latency).toNanos() / 1e6;
  }
}
