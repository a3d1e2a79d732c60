package io.sluice.master.partition;

/**
 * The cluster figures a partitioner weighs a graph with.
 *
 * @param bandwidthBytesPerSecond network bandwidth between workers; an edge carrying {@code b}
 *     bytes costs {@code b / bandwidth} seconds when it crosses workers
 * @param memoryToNetworkSpeedRatio how many times faster a hand-over through a worker's memory is
 *     than through the network; an edge inside one group costs its network cost divided by this
 * @param groupSizeCap most nodes of one workflow a group, and so a worker, may hold (when the
 *     cluster has room for all nodes under the cap)
 * @param faaStoreBudgetFactor fraction of a worker's free memory the partitioner may fill with the
 *     outputs of the group placed there
 */
public record PartitionOptions(
    double bandwidthBytesPerSecond,
    double memoryToNetworkSpeedRatio,
    int groupSizeCap,
    double faaStoreBudgetFactor) {

  /** 1 Gbit/s network, memory 40 times faster, groups bounded only by workers, all free memory. */
  public static final PartitionOptions DEFAULTS =
      new PartitionOptions(125_000_000d, 40d, Integer.MAX_VALUE, 1d);

  public PartitionOptions {
    if (!(bandwidthBytesPerSecond > 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
      throw new IllegalArgumentException(
          "bandwidthBytesPerSecond must be a positive number, got " + bandwidthBytesPerSecond);
    }
    if (!(memoryToNetworkSpeedRatio >= 1) || Double.isInfinite(memoryToNetworkSpeedRatio)) {
      throw new IllegalArgumentException(
          "memoryToNetworkSpeedRatio must be >= 1 (memory is not slower than the network), got "
              + memoryToNetworkSpeedRatio);
    }
    if (groupSizeCap < 1) {
      throw new IllegalArgumentException("groupSizeCap must be >= 1, got " + groupSizeCap);
    }
    if (!(faaStoreBudgetFactor > 0) || Double.isInfinite(faaStoreBudgetFactor)) {
      throw new IllegalArgumentException(
          "faaStoreBudgetFactor must be a positive number, got " + faaStoreBudgetFactor);
    }
  }

  public PartitionOptions withGroupSizeCap(int cap) {
    return new PartitionOptions(
        bandwidthBytesPerSecond, memoryToNetworkSpeedRatio, cap, faaStoreBudgetFactor);
  }

  public PartitionOptions withBandwidth(double bytesPerSecond) {
    return new PartitionOptions(
        bytesPerSecond, memoryToNetworkSpeedRatio, groupSizeCap, faaStoreBudgetFactor);
  }
}
