package io.sluice.cluster.wire;

import io.sluice.runtime.RuntimeOptions;

/**
 * Message size limits for every gRPC server and channel of a cluster. A node's output may travel
 * inline (in an edge event, a part result, a Dispatch reply, an instance status), and outputs are
 * capped at {@link RuntimeOptions#DEFAULT_MAX_OUTPUT_BYTES}; gRPC's 4 MB default would reject them,
 * and a rejected peer batch would be resent forever.
 */
public final class WireLimits {
  /** Largest message accepted: the largest output plus room for the envelope. */
  public static final int MAX_MESSAGE_BYTES =
      (int) Math.min(Integer.MAX_VALUE, RuntimeOptions.DEFAULT_MAX_OUTPUT_BYTES + (8 << 20));

  private WireLimits() {}
}
