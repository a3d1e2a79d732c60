package io.sluice.master.events;

import io.sluice.engine.events.Correlator;
import io.sluice.engine.events.WaitKey;

/**
 * An event wait as the master indexes it: its key and where it is ({@code target}: a worker id, or
 * a MasterSP engine's name). The master only narrows an event down to the targets of matching
 * waits; each target tests the event against its waits exactly (jq included).
 */
record RemoteWait(String waitId, String instanceId, WaitKey key, String target)
    implements Correlator.Wait {}
