package io.sluice.master.progress;

/**
 * How much progress the master keeps (docs/architecture.md, "Progress"). A history step costs a few
 * hundred bytes, so the total cap, not the per-instance one, bounds the master's memory: the
 * retained finished instances (up to {@code retainFinished}, 10,000 by default) would otherwise
 * hold up to 10,000 steps each.
 *
 * @param historySteps steps kept per instance; older ones are dropped (and counted)
 * @param totalSteps steps kept over every instance; the oldest finished instances' histories are
 *     trimmed first, then the oldest steps of the instance that reports
 * @param watchBuffer updates queued per WatchInstance subscriber before they are coalesced to the
 *     latest per node
 * @param lateMillis how long after an instance ended late worker steps are still taken
 */
public record ProgressLimits(int historySteps, long totalSteps, int watchBuffer, long lateMillis) {
  public static final ProgressLimits DEFAULT = new ProgressLimits(10_000, 500_000, 1_024, 30_000);

  public ProgressLimits {
    if (historySteps < 1 || totalSteps < historySteps || watchBuffer < 1 || lateMillis < 0) {
      throw new IllegalArgumentException(
          "progress limits: historySteps >= 1, totalSteps >= historySteps, watchBuffer >= 1 and"
              + " lateMillis >= 0 required, got "
              + this);
    }
  }
}
