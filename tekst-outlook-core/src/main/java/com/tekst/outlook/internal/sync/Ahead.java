package com.tekst.outlook.internal.sync;

import com.tekst.outlook.sync.DeltaPage;
import java.util.concurrent.CountDownLatch;

/**
 * A live task's next delta page, requested on the engine's fetch-ahead threads while the step delivers and
 * checkpoints the current one, so the folder's pages are not fetched strictly one after the other.
 *
 * <p>The request holds one of the mailbox's call slots and one request of its budget from before it is sent until
 * its page is taken by the next step (after a failure, if any, was classified; one that would stop the mailbox or
 * the connection is left to the step's own request, see {@link Fetch#take}) or dropped; a dropped page was never
 * delivered and is requested again. The next step takes the page only if the folder's checkpoint continues from
 * exactly {@link #link}, i.e. the page before it was acknowledged: the at-least-once order (deliver, then checkpoint,
 * then the next page's delivery) is unchanged.
 */
final class Ahead {
    /** The next link the page was requested from. */
    final String link;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile DeltaPage page;
    private volatile RuntimeException failure;

    // guarded by the scheduler's lock
    boolean slotHeld;
    boolean dropped;

    Ahead(String link) {
        this.link = link;
    }

    void complete(DeltaPage value, RuntimeException error) {
        page = value;
        failure = error;
        done.countDown();
    }

    boolean returned() {
        return done.getCount() == 0;
    }

    void await() throws InterruptedException {
        done.await();
    }

    /** The page, or {@code null} if the request failed (see {@link #failure}) or never ran. */
    DeltaPage page() {
        return page;
    }

    RuntimeException failure() {
        return failure;
    }
}
