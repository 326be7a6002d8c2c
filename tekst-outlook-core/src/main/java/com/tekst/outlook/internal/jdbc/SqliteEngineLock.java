package com.tekst.outlook.internal.jdbc;

import com.tekst.outlook.StoreException;
import com.tekst.outlook.StoreInUseException;
import com.tekst.outlook.store.EngineLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One sync engine per SQLite file: an exclusive OS file lock on {@code <database>.engine-lock}, whose content names
 * the holder (process id, host, since when). The operating system releases the lock when the holder's process ends,
 * however it ends (kill -9 included), so a stale holder never blocks a restart. Within one JVM a second engine is
 * refused the same way.
 */
public final class SqliteEngineLock implements EngineLock {
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteEngineLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a database file. */
    public static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".engine-lock");
    }

    /**
     * Takes the lock of a database file for an engine.
     *
     * @throws StoreInUseException if another engine (in this or another process) holds it
     * @throws StoreException      if the lock file cannot be opened
     */
    public static SqliteEngineLock acquire(Path database) {
        Path file = lockFile(database);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open the engine lock file of " + database + " ("
                    + e.getClass().getSimpleName() + ")", null);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another engine of this JVM
            }
            if (lock == null) {
                String holder = holderOf(file);
                channel.close();
                throw new StoreInUseException(database.toString(), holder);
            }
            byte[] me = (describeThisProcess() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
            channel.force(false);
            return new SqliteEngineLock(channel, lock);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("cannot lock the engine lock file of " + database + " ("
                    + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** "pid 4711 on host-a since 2026-12-03T20:00:00Z". */
    public static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        String pid = String.valueOf(ProcessHandle.current().pid());
        Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
                .truncatedTo(ChronoUnit.SECONDS);
        return "pid " + pid + " on " + host + " since " + started;
    }

    private static String holderOf(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            return content.isEmpty() ? "a process that has not written its name yet" : content;
        } catch (IOException e) {
            return "a process whose name could not be read";
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the channel is gone either way; the OS drops the lock with it
            }
        }
    }
}
