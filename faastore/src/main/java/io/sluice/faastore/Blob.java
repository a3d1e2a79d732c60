package io.sluice.faastore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable run of bytes: the value a function produced. Wrapping an array or a buffer never
 * copies it, and neither does the memory store, so a local hand-off of any size costs a reference;
 * whoever wraps an array promises not to change it afterwards. Readers get read-only views.
 */
public final class Blob {
  public static final Blob EMPTY = new Blob(ByteBuffer.allocate(0).asReadOnlyBuffer());

  private final ByteBuffer bytes;

  private Blob(ByteBuffer readOnly) {
    this.bytes = readOnly;
  }

  /** Wraps {@code bytes} without copying; the caller must not change the array afterwards. */
  public static Blob wrap(byte[] bytes) {
    return new Blob(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  /**
   * Wraps the remaining bytes of {@code buffer} without copying; the caller must not change them.
   */
  public static Blob wrap(ByteBuffer buffer) {
    return new Blob(buffer.slice().asReadOnlyBuffer());
  }

  /** A blob holding a private copy of {@code bytes}. */
  public static Blob copyOf(byte[] bytes) {
    return wrap(bytes.clone());
  }

  /** Number of bytes. */
  public int size() {
    return bytes.remaining();
  }

  /** A read-only view of the bytes, positioned at 0; no copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return bytes.duplicate();
  }

  /** The bytes {@code [from, from + length)} as a blob; no copy. */
  public Blob slice(int from, int length) {
    Objects.checkFromIndexSize(from, length, size());
    return new Blob(bytes.slice(bytes.position() + from, length).asReadOnlyBuffer());
  }

  /** A fresh array holding the bytes (a copy). */
  public byte[] toByteArray() {
    byte[] out = new byte[size()];
    bytes.duplicate().get(out);
    return out;
  }

  /** Copies the bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    bytes.duplicate().get(target, offset, size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blob other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    byte[] head = new byte[Math.min(16, size())];
    bytes.duplicate().get(head);
    return "Blob[" + size() + " bytes: " + Arrays.toString(head) + (size() > 16 ? "...]" : "]");
  }
}
