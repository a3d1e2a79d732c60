package io.sluice.sdk;

import java.util.List;

/**
 * One page of a listing; {@code nextPageToken} is null on the last page, else what to pass for the
 * next one.
 */
public record Page<T>(List<T> items, String nextPageToken) {
  public boolean last() {
    return nextPageToken == null;
  }
}
