package io.sluice.model;

/** Node ids: non-empty, no '/' (it separates ids in event subjects and store keys). */
final class Ids {
  private Ids() {}

  static void check(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("node id must not be empty");
    }
    if (id.indexOf('/') >= 0) {
      throw new IllegalArgumentException("node id must not contain '/': " + id);
    }
  }
}
