// The `http` row of `sluice bench runtime`: an HTTP function for Google's functions framework that
// answers with the JSON it was sent (io.sluice.bench.runtime.RuntimeBenchmark starts it).
'use strict';
exports.echo = (req, res) => res.json(req.body);
