package com.tekst.outlook.internal.sync;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.store.FolderCheckpoint;
import com.tekst.outlook.store.FolderKey;
import com.tekst.outlook.store.MailboxLease;
import com.tekst.outlook.store.SyncedChanges;
import java.util.Objects;
import java.util.Optional;

/**
 * Stage 4 of a step: records what the sink acknowledged, in one compare-and-set store write through the
 * {@link CommitGate}: the folder's checkpoint or backfill cursor and its {@link SyncedChanges} together. A write that
 * meets another writer's change (a conflict), a stopped engine (killed) or a lost lease (another engine owns the
 * mailbox now) acknowledges nothing; the page is delivered again by whoever continues.
 */
final class Checkpoint {
    private static final int MERGE_ATTEMPTS = 5;

    private final DefaultSyncEngine engine;

    Checkpoint(DefaultSyncEngine engine) {
        this.engine = engine;
    }

    /** Writes a folder's live checkpoint over the version it replaces. */
    CommitGate.Result live(FolderCheckpoint next, long expectedVersion, SyncedChanges changes) {
        FolderKey key = next.key();
        CommitGate.Result result = engine.gate.write(() -> {
            MailboxLease lease = engine.leasing.fenceFor(key.connection(), key.mailboxId());
            return lease == null ? engine.config.store().commitCheckpoint(next, expectedVersion, changes)
                    : engine.config.store().commitCheckpoint(next, expectedVersion, changes, lease);
        });
        if (result == CommitGate.Result.LOST) {
            engine.leaseLost(key.connection(), key.mailboxId());
        }
        return result;
    }

    /**
     * Writes {@code next} over {@code expected}; on a conflict that only changed the state (pause, resume, cancel
     * from another thread) keeps that state and retries. Returns {@code null} when the engine was killed or lost the mailbox's lease, empty on a
     * real conflict (someone else moved the position).
     */
    Optional<BackfillCursor> cursor(BackfillCursor expected, BackfillCursor next, SyncedChanges changes) {
        BackfillCursor base = expected;
        BackfillCursor candidate = next;
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            BackfillCursor write = candidate;
            long version = base.version();
            CommitGate.Result result = engine.gate.write(() -> {
                MailboxLease lease = engine.leasing.fenceFor(write.key().connection(), write.key().mailboxId());
                return lease == null ? engine.config.store().commitBackfillCursor(write, version, changes)
                        : engine.config.store().commitBackfillCursor(write, version, changes, lease);
            });
            if (result == CommitGate.Result.LOST) {
                engine.leaseLost(write.key().connection(), write.key().mailboxId());
            }
            if (result.abandoned()) {
                return null;
            }
            if (result == CommitGate.Result.WRITTEN) {
                return Optional.of(write);
            }
            BackfillCursor stored = engine.config.store().findBackfillCursor(next.key()).orElse(null);
            if (stored == null || !Objects.equals(stored.position(), base.position())
                    || stored.delivered() != base.delivered() || !stored.from().equals(base.from())
                    || !stored.until().equals(base.until())) {
                return Optional.empty();
            }
            BackfillCursor.State state = candidate.state() == BackfillCursor.State.COMPLETE
                    ? BackfillCursor.State.COMPLETE : stored.state();
            candidate = new BackfillCursor(next.key(), candidate.from(), candidate.until(), candidate.position(),
                    candidate.delivered(), candidate.estimatedTotal(), state, stored.version() + 1, engine.now());
            base = stored;
        }
        return Optional.empty();
    }
}
