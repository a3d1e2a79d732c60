package io.sluice.faastore;

import java.util.Set;

/**
 * Where one value goes, decided by {@link RoutePlanner}: kept in local memory, pushed to the memory
 * of some peer workers, and/or written to Redis.
 */
public record Route(boolean keepLocal, Set<String> pushTo, boolean writeRedis) {
  public Route {
    pushTo = Set.copyOf(pushTo);
  }
}
