// Functions served by Google's functions framework in the http runtime's integration tests
// (io.sluice.runtime.http.FunctionsFrameworkIT and the worker-engine workflow tests):
//   functions-framework --target=router --signature-type=http      --source=THIS_FOLDER
//   functions-framework --target=onEvent --signature-type=cloudevent --source=THIS_FOLDER
'use strict';

const calls = new Map(); // key -> calls so far (the retry tests)

// An HTTP function; what it does depends on the path.
exports.router = (req, res) => {
  const body = req.body === undefined ? null : req.body;
  switch (req.path) {
    case '/transform': // JSON in, JSON out: the text upper-cased, and what the request carried
      res.json({
        text: String(body.text).toUpperCase(),
        length: String(body.text).length,
        method: req.method,
        query: req.query,
        authorization: req.get('authorization') || null,
        functionsKey: req.get('x-functions-key') || null,
        custom: req.get('x-custom') || null,
      });
      return;
    case '/status': // answers body.status with body.message (and Retry-After when given)
      if (body.retryAfter !== undefined) res.set('Retry-After', String(body.retryAfter));
      res.status(body.status).json({error: body.message || 'status ' + body.status});
      return;
    case '/flaky': { // fails body.failures times per body.key with body.status, then succeeds
      const n = (calls.get(body.key) || 0) + 1;
      calls.set(body.key, n);
      if (n <= body.failures) {
        if (body.retryAfter !== undefined) res.set('Retry-After', String(body.retryAfter));
        res.status(body.status).send('failure ' + n + ' of ' + body.failures);
        return;
      }
      res.json({key: body.key, calls: n, at: Date.now()});
      return;
    }
    case '/text':
      res.type('text/plain').send('this is not JSON');
      return;
    case '/empty':
      res.status(204).end();
      return;
    case '/throw':
      throw new Error('the function threw on purpose');
    case '/echo':
      res.json(body);
      return;
    default:
      if (req.path.startsWith('/function/') || req.path.startsWith('/api/')) {
        res.json({path: req.path, key: req.get('x-functions-key') || null, input: body});
        return;
      }
      res.status(404).json({error: 'no route ' + req.path});
  }
};

// A CloudEvent function: replies with data derived from the event.
exports.onEvent = (event) => {
  if (event.type === 'sluice.test.text') return 'plain text from ' + event.id;
  if (event.type === 'sluice.test.empty') return undefined;
  if (event.type === 'sluice.test.fail') throw new Error('the event function failed on purpose');
  const data = event.data || {};
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    attempt: event.attempt === undefined ? null : String(event.attempt),
    doubled: typeof data.n === 'number' ? data.n * 2 : null,
    words: typeof data.text === 'string' ? data.text.split(/\s+/).length : null,
  };
};
