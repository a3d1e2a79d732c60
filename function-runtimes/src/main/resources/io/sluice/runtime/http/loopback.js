// Preloaded (NODE_OPTIONS=--require) into Google's functions framework by
// io.sluice.runtime.http.FunctionsFramework: the framework listens on every interface and has no
// option for the address, so this makes a listen on a bare port bind 127.0.0.1 only.
'use strict';
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' || (typeof port === 'string' && /^[0-9]+$/.test(port))) {
    const cb = rest.find((a) => typeof a === 'function');
    return listen.call(this, Number(port), '127.0.0.1', cb);
  }
  return listen.call(this, port, ...rest);
};
