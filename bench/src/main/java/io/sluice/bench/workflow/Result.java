package io.sluice.bench.workflow;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One workflow at one configuration: the figures of its measured instances (docs/experiments.md
 * defines each). Latency percentiles and medians are over completed instances; per-instance counts
 * are means over completed instances; throughput counts completed instances over the measured
 * window, from the first measured invoke to the last measured end.
 */
public record Result(
    String workflow,
    Configuration config,
    int instances,
    int failed,
    String firstError,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double schedulingOverheadMs,
    double dataOverheadMs,
    double instancesPerSec,
    double invocationsPerSec,
    double masterMessages,
    double masterBytes,
    double crossWorkerEvents,
    double bytesLocal,
    double bytesPeer,
    double bytesRedis,
    double loadAverage,
    List<Sample> samples) {

  public Result {
    samples = List.copyOf(samples);
  }

  /**
   * The figures of {@code samples} (every measured instance, failed ones included) measured over
   * {@code windowNanos}; {@code loadAverage} is the machine's 1-minute load average at the end.
   */
  public static Result of(
      String workflow,
      Configuration config,
      List<Sample> samples,
      long windowNanos,
      double loadAverage) {
    List<Sample> ok = samples.stream().filter(Sample::ok).toList();
    double[] latency = values(ok, s -> s.latencyNanos() / 1e6);
    String firstError =
        samples.stream()
            .filter(s -> !s.ok())
            .min(java.util.Comparator.comparingInt(Sample::seq))
            .map(Sample::error)
            .orElse("");
    return new Result(
        workflow,
        config,
        samples.size(),
        samples.size() - ok.size(),
        firstError,
        Stats.percentile(latency, 50),
        Stats.percentile(latency, 95),
        Stats.percentile(latency, 99),
        Stats.max(latency),
        Stats.median(values(ok, s -> s.schedulingOverheadNanos() / 1e6)),
        Stats.median(values(ok, s -> s.dataNanos() / 1e6)),
        Stats.perSecond(ok.size(), windowNanos),
        Stats.perSecond(ok.stream().mapToLong(Sample::invocations).sum(), windowNanos),
        Stats.mean(values(ok, Sample::masterMessages)),
        Stats.mean(values(ok, Sample::masterBytes)),
        Stats.mean(values(ok, Sample::crossWorkerEvents)),
        Stats.mean(values(ok, Sample::bytesLocal)),
        Stats.mean(values(ok, Sample::bytesPeer)),
        Stats.mean(values(ok, Sample::bytesRedis)),
        loadAverage,
        samples);
  }

  private static double[] values(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).toArray();
  }

  /** Completed instances' client-observed latencies in ms, ascending (for CDFs). */
  public double[] sortedLatenciesMs() {
    return samples.stream()
        .filter(Sample::ok)
        .mapToDouble(s -> s.latencyNanos() / 1e6)
        .sorted()
        .toArray();
  }
}
