package io.sluice.engine.internal;

/** What a trigger does when its condition holds (docs/design.md, The state machine: Actions). */
enum Action {
  INVOKE_FUNCTION,
  EMIT_EVENT,
  EVALUATE_SWITCH,
  EXPAND_MAP,
  RUN_LOOP,
  START_TIMER,
  AWAIT_EVENT,
  START_SUBWORKFLOW,
  PASS,
  END_PATH,
  FAIL_INSTANCE
}
