// The hybrid example's remote step: a CloudEvent function served by Google's functions framework
// (functions-framework --target=risk --signature-type=cloudevent), called by Sluice's `http`
// runtime with preset gcf. The event's data is the priced order; the reply is the order with a
// risk score and whether a person must approve it.
'use strict';
exports.risk = (event) => {
  const order = event.data;
  const score = Math.min(100, Math.round(order.totalCents / 1000));
  return {
    ...order,
    risk: {score, needsApproval: score >= 10, scoredBy: 'functions-framework', eventId: event.id},
  };
};
