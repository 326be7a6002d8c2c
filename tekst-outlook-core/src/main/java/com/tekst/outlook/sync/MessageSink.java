package com.tekst.outlook.sync;

/**
 * The application's side of the data path: receives pages of mail.
 *
 * <p><b>Acknowledgement.</b> Returning normally acknowledges the page: the engine then writes the folder's checkpoint
 * (or backfill cursor) and moves on. Throwing leaves the page unacknowledged: nothing is written, and the same page
 * (same messages, same ids) is delivered again after a backoff. A page is never acknowledged twice in the store, but
 * it may be delivered more than once (a crash between the sink and the checkpoint write replays it): the sink must be
 * idempotent, keyed by {@link MailMessage#id()} (see {@link MessagePage}).
 *
 * <p><b>Threads.</b> The engine calls the sink from its worker threads, concurrently for different folders and
 * mailboxes, but never concurrently for the same folder and {@link MessagePage.Kind}. When the engine is stopped
 * without grace the calling thread is interrupted; a sink that returns afterwards is not acknowledged.
 *
 * <p><b>Logging.</b> Exceptions from the sink are reported to {@link SyncListener#retryScheduled} but only their
 * class name is logged, never their message or stack trace, since an application's message may quote mail content.
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * Takes one page.
     *
     * @param page the page
     * @throws Exception to leave the page unacknowledged; it is delivered again after a backoff
     */
    void accept(MessagePage page) throws Exception;
}
