package io.sluice.sdk;

import java.util.List;

/**
 * What became of a sent event ({@link SluiceClient#sendEvent}): {@code outcome} is matched, held,
 * duplicate or unmatched; {@code deliveredTo} the instances it reached; {@code held} whether the
 * master keeps it for a wait that starts later; {@code duplicate} whether an event with this source
 * and id was routed before (a retried send is one); {@code detail} why it matched nothing.
 */
public record EventDelivery(
    String outcome, List<String> deliveredTo, boolean held, boolean duplicate, String detail) {}
