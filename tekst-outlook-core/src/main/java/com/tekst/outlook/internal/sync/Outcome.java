package com.tekst.outlook.internal.sync;

import java.time.Instant;

/** What a step tells the scheduler to do with its task next. */
record Outcome(Kind kind, Instant at) {
    enum Kind {
        /** Runnable again at once (next page). */
        READY,
        /** Runnable at {@code at} (a backoff). */
        WAIT,
        /** A round ended: runnable at {@code at} (the next poll), or at once if a sync was requested meanwhile. */
        POLL,
        /** Nothing to do until something outside wakes it (a backfill paused or complete). */
        DORMANT
    }

    static final Outcome READY = new Outcome(Kind.READY, null);
    static final Outcome DORMANT = new Outcome(Kind.DORMANT, null);

    static Outcome waitUntil(Instant at) {
        return new Outcome(Kind.WAIT, at);
    }

    static Outcome poll(Instant at) {
        return new Outcome(Kind.POLL, at);
    }
}
