package io.sluice.master.source;

/** A stream entry that is not an event: its message says what is wrong, for the dead letter. */
public final class MalformedEntryException extends Exception {
  public MalformedEntryException(String message) {
    super(message);
  }
}
