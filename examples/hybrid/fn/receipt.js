#!/usr/bin/env node
// The hybrid example's last step, a `process` function: the engine writes the node's input (the
// scored order and the approval event's data) to stdin as JSON and reads one JSON value from
// stdout.
'use strict';
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (text += chunk));
process.stdin.on('end', () => {
  const {order, approval} = JSON.parse(text);
  const receipt = {
    orderId: order.orderId,
    customer: order.customer,
    total: (order.totalCents / 100).toFixed(2),
    risk: order.risk.score,
    approvedBy: approval.approver,
    steps: [order.pricedBy, order.risk.scoredBy, 'redis stream ' + approval.via, 'process pid ' + process.pid],
  };
  process.stdout.write(JSON.stringify(receipt));
});
