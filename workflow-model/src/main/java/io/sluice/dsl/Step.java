package io.sluice.dsl;

/**
 * One piece of a workflow built with the DSL: a single node ({@link NodeStep}) or a composition of
 * steps ({@link Steps#sequence}, {@link Steps#parallel}). Create steps with the static factories of
 * {@link Steps}.
 */
public abstract class Step {
  Step() {}

  /** Adds this step's nodes and edges to {@code a}; returns where control enters and leaves. */
  abstract Fragment addTo(Assembly a);
}
