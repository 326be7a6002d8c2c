package com.tekst.outlook.testkit.internal.graph;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque skip and delta tokens that carry the whole server-side state of a paging position, so the fake keeps no
 * per-client state: which mailbox and folder, the round's change window {@code (since, until]}, the cursor, the
 * {@code $filter} and {@code $select} of the first request, the sync-state generation and the issue time. Tokens are
 * encrypted with a key derived from the cloud's seed (deterministic: the same run gives the same tokens) and
 * authenticated, so a client can neither read nor alter them. Internal.
 */
final class SyncTokens {
    /** What a token pages through. */
    enum Kind { MESSAGES_NEXT, MESSAGES_DELTA, FOLDERS_NEXT, FOLDERS_DELTA, USERS_NEXT }

    /**
     * One paging position.
     *
     * @param incremental false for the first round of a folder (everything up to {@code until}), true for later
     *                    rounds (changes in {@code (since, until]})
     * @param filterOp    0 none, 1 {@code receivedDateTime ge}, 2 {@code receivedDateTime gt}
     * @param served      how many items of the round come before the cursor (items already served, without the
     *                    ones a page repeats): what a filtered first round's limit counts
     * @param page        how many pages of the round were served before this position (empty ones included)
     */
    record State(Kind kind, String mailbox, String folderId, long generation, long issuedAtMillis, int filterOp,
                 long filterEpochSecond, String select, boolean incremental, long since, long until, long cursorA,
                 long cursorB, long served, int page) {

        /** A position with nothing served yet, on the first page of its round. */
        State(Kind kind, String mailbox, String folderId, long generation, long issuedAtMillis, int filterOp,
              long filterEpochSecond, String select, boolean incremental, long since, long until, long cursorA,
              long cursorB) {
            this(kind, mailbox, folderId, generation, issuedAtMillis, filterOp, filterEpochSecond, select, incremental,
                    since, until, cursorA, cursorB, 0, 0);
        }
    }

    private static final int MAC_LENGTH = 12;
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private final byte[] key;

    SyncTokens(long seed) {
        try {
            this.key = MessageDigest.getInstance("SHA-256")
                    .digest(("tekst-fake-sync-state:" + seed).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String encode(State s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeByte(s.kind().ordinal());
            out.writeUTF(s.mailbox());
            out.writeUTF(s.folderId());
            out.writeLong(s.generation());
            out.writeLong(s.issuedAtMillis());
            out.writeByte(s.filterOp());
            out.writeLong(s.filterEpochSecond());
            out.writeUTF(s.select());
            out.writeBoolean(s.incremental());
            out.writeLong(s.since());
            out.writeLong(s.until());
            out.writeLong(s.cursorA());
            out.writeLong(s.cursorB());
            out.writeLong(s.served());
            out.writeInt(s.page());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plain = bytes.toByteArray();
        byte[] mac = mac(plain);
        byte[] cipher = xor(plain, mac);
        byte[] token = new byte[MAC_LENGTH + cipher.length];
        System.arraycopy(mac, 0, token, 0, MAC_LENGTH);
        System.arraycopy(cipher, 0, token, MAC_LENGTH, cipher.length);
        return ENC.encodeToString(token);
    }

    /** The state in a token; empty when the token is not one this cloud issued, or was altered. */
    Optional<State> decode(String token) {
        byte[] raw;
        try {
            raw = DEC.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length <= MAC_LENGTH) {
            return Optional.empty();
        }
        byte[] mac = Arrays.copyOf(raw, MAC_LENGTH);
        byte[] plain = xor(Arrays.copyOfRange(raw, MAC_LENGTH, raw.length), mac);
        if (!MessageDigest.isEqual(mac, mac(plain))) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            if (in.readByte() != 2) {
                return Optional.empty();
            }
            int kind = in.readByte();
            if (kind < 0 || kind >= Kind.values().length) {
                return Optional.empty();
            }
            return Optional.of(new State(Kind.values()[kind], in.readUTF(), in.readUTF(), in.readLong(),
                    in.readLong(), in.readByte(), in.readLong(), in.readUTF(), in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] plain) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(plain), MAC_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** XORs with a keystream of SHA-256(key, nonce, block counter): a synthetic-IV stream cipher. */
    private byte[] xor(byte[] data, byte[] nonce) {
        byte[] out = new byte[data.length];
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int block = 0; block * 32 < data.length; block++) {
                md.update(key);
                md.update(nonce);
                md.update(new byte[] {(byte) (block >>> 8), (byte) block});
                byte[] ks = md.digest();
                for (int i = 0; i < 32 && block * 32 + i < data.length; i++) {
                    out[block * 32 + i] = (byte) (data[block * 32 + i] ^ ks[i]);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
