package com.tekst.outlook.testkit.internal;

import com.tekst.outlook.testkit.Fault;
import java.util.Optional;

/**
 * Where a route consults the fault script: once per request, after it learned the tenant and mailbox addressed (so
 * the script's matchers see them) and before it does any work. Internal.
 */
public interface FaultPoint {
    /** The fault scripted for this request, matched once (later calls return the same answer). */
    Optional<Fault> match(FakeRequest request);

    /** Whether a fault replaces the answer entirely (throttling, an error status, a gateway's HTML). */
    static boolean replacesAnswer(Fault fault) {
        return fault instanceof Fault.Throttle || fault instanceof Fault.Status || fault instanceof Fault.HtmlBadGateway
                || fault instanceof Fault.SyncReset;
    }

    /** The answer for a fault that {@link #replacesAnswer replaces} the normal one. */
    Reply replacement(Fault fault, FakeRequest request);
}
