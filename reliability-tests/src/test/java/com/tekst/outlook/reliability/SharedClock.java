package com.tekst.outlook.reliability;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One notion of time for two processes: the parent publishes the fake cloud's {@code FakeClock} (which it keeps at the
 * real time, in steps of about a millisecond) into an 8-byte memory-mapped file, and the child's engine and client
 * read their {@link Clock} from that file. Both sides see the same sequence of instants, so a {@code Retry-After}
 * the fake measures on its clock is the one the engine measures on its own; a constant lag behind the system clock
 * cancels out. Epoch nanoseconds, little cost per read.
 */
final class SharedClock extends Clock {
    private final MappedByteBuffer buffer;

    private SharedClock(MappedByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** The writing side (the parent); creates the file. */
    static SharedClock create(Path file, Instant now) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            SharedClock c = new SharedClock(ch.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES));
            c.publish(now);
            return c;
        }
    }

    /** The reading side (the child). */
    static SharedClock open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new SharedClock(ch.map(FileChannel.MapMode.READ_ONLY, 0, Long.BYTES));
        }
    }

    /** Publishes an instant (the parent's ticker, after advancing the fake clock to it). */
    synchronized void publish(Instant now) {
        buffer.putLong(0, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    @Override
    public Instant instant() {
        long nanos = buffer.getLong(0);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("the shared clock is UTC only");
    }
}
