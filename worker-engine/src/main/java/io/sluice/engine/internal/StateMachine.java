package io.sluice.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One entity's transition table: rows {@code (state, event) -> (next state, action)}, dense over
 * the ordinals of a state enum and an event enum (Temporal's StateMachineDefinition is the model).
 * The engine drives its entities through {@link #row}: what is legal is exactly what the table
 * names; what the engine tolerates on purpose (duplicates, late results, events after the end) are
 * rows whose action ignores the event; anything else is an {@link IllegalTransition}.
 *
 * <p>With {@code -Dsluice.fsm.coverage=true} every row counts its hits, so a test can fail when a
 * row is never exercised; without it the check is a constant the JIT folds away.
 *
 * @param <C> what an action runs on (the instance)
 */
final class StateMachine<S extends Enum<S>, E extends Enum<E>, C> {
  /** Whether rows count their hits (tests only; read once). */
  static final boolean TRACK = Boolean.getBoolean("sluice.fsm.coverage");

  /** What a row does after the entity entered its next state. */
  @FunctionalInterface
  interface Action<C> {
    void run(C on, int subject, int aux, Object arg);
  }

  /** Names the entity an illegal event was about (instance id, node, history). */
  @FunctionalInterface
  interface Describer<C> {
    String describe(C on, int subject);
  }

  /** One row of the table. {@code action} is null when the row ignores the event. */
  record Row<S, E, C>(int index, S from, E event, S to, String label, Action<C> action) {
    boolean ignores() {
      return action == null;
    }
  }

  /** An event arrived in a state the table does not name: an engine bug, never a silent drop. */
  static final class IllegalTransition extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    IllegalTransition(String message) {
      super(message);
    }
  }

  private static final Action<Object> IGNORE = (on, subject, aux, arg) -> {};

  final String entity;
  final String description;
  final S initial;
  private final S[] states;
  private final E[] events;
  private final Row<S, E, C>[] table;
  private final List<Row<S, E, C>> rows;
  private final int[] to;
  private final Action<C>[] actions;
  private final Describer<C> describer;
  private final AtomicIntegerArray hits;

  @SuppressWarnings("unchecked")
  private StateMachine(Builder<S, E, C> b) {
    this.entity = b.entity;
    this.description = b.description;
    this.initial = b.initial;
    this.states = b.states;
    this.events = b.events;
    this.describer = b.describer;
    this.rows = List.copyOf(b.rows);
    this.table = new Row[states.length * events.length];
    this.to = new int[table.length];
    this.actions = new Action[table.length];
    for (Row<S, E, C> r : rows) {
      int i = r.from().ordinal() * events.length + r.event().ordinal();
      if (table[i] != null) {
        throw new IllegalArgumentException(
            entity + " table names (" + r.from() + ", " + r.event() + ") twice");
      }
      table[i] = r;
      to[i] = r.to().ordinal();
      actions[i] = r.action() == null ? (Action<C>) IGNORE : r.action();
    }
    this.hits = new AtomicIntegerArray(rows.size());
  }

  static <S extends Enum<S>, E extends Enum<E>, C> Builder<S, E, C> builder(
      String entity, Class<S> states, Class<E> events, S initial) {
    return new Builder<>(entity, states.getEnumConstants(), events.getEnumConstants(), initial);
  }

  /**
   * Looks up the row for {@code event} in {@code state} (ordinals), counting the hit; throws an
   * {@link IllegalTransition} naming the entity, its state and the event when there is none.
   * Returns the index of the row for {@link #next} and {@link #action}.
   */
  int row(int state, E event, C on, int subject) {
    int i = state * events.length + event.ordinal();
    Row<S, E, C> r = table[i];
    if (r == null) {
      throw new IllegalTransition(
          "illegal transition of "
              + describer.describe(on, subject)
              + ": event "
              + event
              + " in state "
              + states[state]
              + " (the "
              + entity
              + " table has no such row)");
    }
    if (TRACK) {
      hits.incrementAndGet(r.index());
    }
    return i;
  }

  int next(int row) {
    return to[row];
  }

  Action<C> action(int row) {
    return actions[row];
  }

  S state(int ordinal) {
    return states[ordinal];
  }

  List<Row<S, E, C>> rows() {
    return rows;
  }

  /** Rows hit since the JVM started (only counted when {@link #TRACK}). */
  int hits(Row<S, E, C> r) {
    return hits.get(r.index());
  }

  /** Whether {@code event} is legal in {@code state} (derived from the table). */
  boolean legal(S state, E event) {
    return table[state.ordinal() * events.length + event.ordinal()] != null;
  }

  /** A Mermaid {@code stateDiagram-v2} of the table. */
  String mermaid() {
    StringBuilder sb = new StringBuilder("```mermaid\nstateDiagram-v2\n");
    sb.append("  [*] --> ").append(initial).append('\n');
    for (Row<S, E, C> r : rows) {
      sb.append("  ")
          .append(r.from())
          .append(" --> ")
          .append(r.to())
          .append(" : ")
          .append(r.event())
          .append(r.ignores() ? " (ignored)" : "")
          .append('\n');
    }
    return sb.append("```\n").toString();
  }

  /** The table as Markdown: one line per row. */
  String markdown() {
    StringBuilder sb =
        new StringBuilder("| state | event | next state | action |\n|---|---|---|---|\n");
    for (Row<S, E, C> r : rows) {
      sb.append("| ")
          .append(r.from())
          .append(" | ")
          .append(r.event())
          .append(" | ")
          .append(r.to())
          .append(" | ")
          .append(r.label())
          .append(" |\n");
    }
    return sb.toString();
  }

  static final class Builder<S extends Enum<S>, E extends Enum<E>, C> {
    private final String entity;
    private final S[] states;
    private final E[] events;
    private final S initial;
    private final List<Row<S, E, C>> rows = new ArrayList<>();
    private String description = "";
    private Describer<C> describer;

    private Builder(String entity, S[] states, E[] events, S initial) {
      this.entity = entity;
      this.states = states;
      this.events = events;
      this.initial = initial;
      this.describer = (on, subject) -> entity + " " + subject;
    }

    Builder<S, E, C> description(String text) {
      this.description = text;
      return this;
    }

    Builder<S, E, C> describer(Describer<C> d) {
      this.describer = d;
      return this;
    }

    /** A transition: in {@code from}, {@code event} moves to {@code to}, then runs the action. */
    Builder<S, E, C> row(S from, E event, S to, String label, Action<C> action) {
      rows.add(new Row<>(rows.size(), from, event, to, label, action));
      return this;
    }

    /** A tolerated event: in {@code state}, {@code event} changes nothing (and why). */
    Builder<S, E, C> ignore(S state, E event, String why) {
      rows.add(new Row<>(rows.size(), state, event, state, "ignore: " + why, null));
      return this;
    }

    StateMachine<S, E, C> build() {
      return new StateMachine<>(this);
    }
  }
}
