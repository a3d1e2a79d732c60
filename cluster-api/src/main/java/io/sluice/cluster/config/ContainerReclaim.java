package io.sluice.cluster.config;

/**
 * FaaSFlow's store budget from the worker's containers: a share of the memory they were granted but
 * do not use, never below a floor nor above a cap. The worker measures its containers and hands the
 * figures to {@link #budget}; the store follows.
 *
 * @param ratio share of the unused granted memory the store may hold, in (0, 1]
 * @param floorBytes the budget when containers leave nothing (or there are none)
 * @param capBytes the most the store holds however much containers leave unused
 */
public record ContainerReclaim(double ratio, long floorBytes, long capBytes) {

  public ContainerReclaim {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new StoreConfig.InvalidSetting(
          StoreConfig.RECLAIM_RATIO, "must be in (0, 1], got " + ratio);
    }
    if (floorBytes < 0) {
      throw new StoreConfig.InvalidSetting(
          StoreConfig.BUDGET_FLOOR, "must not be negative, got " + floorBytes + "B");
    }
    if (capBytes <= 0 || capBytes < floorBytes) {
      throw new StoreConfig.InvalidSetting(
          StoreConfig.BUDGET_CAP,
          "must be more than 0 and at least "
              + StoreConfig.BUDGET_FLOOR
              + " ("
              + floorBytes
              + "B), got "
              + capBytes
              + "B");
    }
  }

  /** The budget while containers were granted {@code granted} bytes and use {@code used}. */
  public long budget(long granted, long used) {
    long unused = Math.max(0, granted - Math.max(0, used));
    long share = (long) (unused * ratio);
    return Math.min(capBytes, Math.max(floorBytes, share));
  }
}
