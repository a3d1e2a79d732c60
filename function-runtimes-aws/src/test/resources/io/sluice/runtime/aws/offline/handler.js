'use strict';
// Handlers for the aws-lambda runtime's integration tests. Each reads the ClientContext the runtime
// sends ({"custom": {"idempotencyKey", "stepKey", "instanceId", "nodeId", "attempt"}}) where it matters.
const fs = require('fs');

const custom = (context) => (context.clientContext && context.clientContext.custom) || {};

// The input back, with what arrived in the ClientContext.
exports.echo = async (event, context) => {
  const c = custom(context);
  return {
    input: event,
    node: c.nodeId,
    idempotencyKey: c.idempotencyKey,
    stepKey: c.stepKey,
    attempt: c.attempt,
  };
};

// Always throws: the runtime must turn the function error into a typed failure.
exports.fail = async (event) => {
  throw new Error('card declined: ' + (event && event.card));
};

// Fails until the attempt (from the ClientContext) reaches event.succeedOn (default 3).
exports.flaky = async (event, context) => {
  const attempt = Number(custom(context).attempt || '0');
  const succeedOn = (event && event.succeedOn) || 3;
  if (attempt < succeedOn) {
    throw new Error('attempt ' + attempt + ' failed, succeeds on ' + succeedOn);
  }
  const c = custom(context);
  return { attempt, idempotencyKey: c.idempotencyKey, stepKey: c.stepKey };
};

// For Event (asynchronous) invocations: writes the event to event.file, so the test sees it ran.
exports.record = async (event) => {
  fs.writeFileSync(event.file + '.tmp', JSON.stringify(event));
  fs.renameSync(event.file + '.tmp', event.file);
  return { recorded: event.file };
};

// Sleeps event.ms (default two minutes): for deadlines and cancellation.
exports.slow = async (event) => {
  const ms = (event && event.ms) || 120000;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { slept: ms };
};

// Returns nothing: Lambda's payload is then empty (serverless-offline) or null.
exports.nothing = async () => undefined;
