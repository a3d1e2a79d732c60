package io.sluice.bench.workflow;

/**
 * The load one configuration offers: a closed loop of {@code clients} concurrent clients (each
 * starts its next instance when its previous one ends), or an open loop of Poisson arrivals at
 * {@code rate} instances per second, whatever the instances in flight.
 *
 * @param closed true for the closed loop
 * @param value clients (closed) or instances per second (open)
 */
public record Load(boolean closed, double value) {
  public Load {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          (closed ? "--clients" : "--rate") + " must be positive, got " + value);
    }
    if (closed && value != Math.rint(value)) {
      throw new IllegalArgumentException("--clients must be a whole number, got " + value);
    }
  }

  public static Load clients(int n) {
    return new Load(true, n);
  }

  public static Load rate(double perSecond) {
    return new Load(false, perSecond);
  }

  public int clients() {
    return closed ? (int) value : 0;
  }

  public double rate() {
    return closed ? 0 : value;
  }

  /** {@code 8 clients} or {@code 10/s}. */
  public String label() {
    return closed
        ? clients() + (clients() == 1 ? " client" : " clients")
        : Format.num(value) + "/s";
  }
}
