package com.tekst.outlook.graph.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.OutlookStore;
import com.tekst.outlook.store.SyncedChanges;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wraps an {@link OutlookStore} and records every successful checkpoint and cursor write that moved a folder's
 * position as an acknowledged page, keyed by folder, kind, reset epoch and the position the page was fetched from.
 * A key seen twice is a page acknowledged twice. A write that resets a position (delta expiry, listing restart)
 * starts a new epoch.
 */
final class AckRecorder {
    /** One acknowledged page. */
    record Ack(String folder, boolean backfill, int epoch, String from) {
    }

    private final List<Ack> acks = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Integer> epochs = new HashMap<>();
    private int reconciliations;

    /** A store that records into this recorder and otherwise does what {@code delegate} does. */
    OutlookStore wrap(OutlookStore delegate) {
        return (OutlookStore) Proxy.newProxyInstance(OutlookStore.class.getClassLoader(),
                new Class<?>[] {OutlookStore.class}, (proxy, method, args) -> {
                    SyncedChanges changes = args != null && args.length == 3 && args[2] instanceof SyncedChanges given
                            ? given : SyncedChanges.NONE;
                    if (method.getName().equals("commitCheckpoint")) {
                        return commitCheckpoint(delegate, (FolderCheckpoint) args[0], (Long) args[1], changes);
                    }
                    if (method.getName().equals("commitBackfillCursor")) {
                        return commitCursor(delegate, (BackfillCursor) args[0], (Long) args[1], changes);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private synchronized boolean commitCheckpoint(OutlookStore store, FolderCheckpoint next, long expected,
                                                  SyncedChanges changes) {
        FolderCheckpoint previous = store.findCheckpoint(next.key()).orElse(null);
        boolean ok = store.commitCheckpoint(next, expected, changes);
        if (ok) {
            String key = next.key() + "/live";
            String from = previous == null ? null : position(previous);
            String to = position(next);
            boolean reconciliation = previous != null && Objects.equals(to, from)
                    && (!changes.isEmpty() || !Objects.equals(previous.reconciledAt(), next.reconciledAt()));
            if (reconciliation) {
                reconciliations++;
            } else if (to == null) {
                epochs.merge(key, 1, Integer::sum);
            } else if (to.equals(from)) {
                problems.add("a live write that did not move " + next.key());
            } else {
                acks.add(new Ack(next.key().toString(), false, epochs.getOrDefault(key, 0), from));
            }
        }
        return ok;
    }

    private static String position(FolderCheckpoint cp) {
        return cp.nextLink().isPresent() ? cp.nextLink().orElse(null) : cp.deltaLink().orElse(null);
    }

    private synchronized boolean commitCursor(OutlookStore store, BackfillCursor next, long expected,
                                              SyncedChanges changes) {
        BackfillCursor previous = store.findBackfillCursor(next.key()).orElse(null);
        boolean ok = store.commitBackfillCursor(next, expected, changes);
        if (ok && previous != null) {
            String key = next.key() + "/backfill";
            boolean restarted = next.delivered() < previous.delivered() || !next.from().equals(previous.from());
            boolean moved = !Objects.equals(previous.position(), next.position())
                    || previous.delivered() != next.delivered()
                    || (next.state() == BackfillCursor.State.COMPLETE
                    && previous.state() != BackfillCursor.State.COMPLETE);
            if (restarted) {
                epochs.merge(key, 1, Integer::sum);
            } else if (moved) {
                acks.add(new Ack(next.key().toString(), true, epochs.getOrDefault(key, 0),
                        previous.position() + "/" + previous.position().deliveredAtUpTo() + "#"
                                + previous.delivered()));
            }
        }
        return ok;
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Pages acknowledged twice, and writes that acknowledged nothing new. */
    synchronized List<String> duplicates() {
        List<String> out = new ArrayList<>(problems);
        Map<Ack, Integer> seen = new HashMap<>();
        for (Ack a : acks) {
            if (seen.merge(a, 1, Integer::sum) == 2) {
                out.add("acknowledged twice: " + a.folder() + (a.backfill() ? " backfill" : " live") + " epoch "
                        + a.epoch());
            }
        }
        return out;
    }
}
