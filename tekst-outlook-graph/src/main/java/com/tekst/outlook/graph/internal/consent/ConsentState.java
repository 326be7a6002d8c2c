package com.tekst.outlook.graph.internal.consent;

import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.InvalidValueException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Signs and verifies the admin-consent {@code state} (docs/design/002-consent-state-format.md).
 *
 * <p>Format: {@code v1.<base64url(payload)>.<base64url(mac)>}, URL-safe without encoding. The payload (big-endian) is
 * {@code version(1) | keyId(8) | nonce(32) | issuedAtMillis(8) | len(2) connectionId | len(2) redirectUri} and the
 * MAC is HMAC-SHA256 over a domain label and the payload, with the key the key id names. The MAC is checked (in
 * constant time) before anything in the payload is trusted or the store is touched. Internal.
 */
public final class ConsentState {
    /** The longest state accepted; longer ones are malformed without further work. */
    public static final int MAX_LENGTH = 2048;
    /** Nonce bytes (256 bits). */
    public static final int NONCE_LENGTH = 32;
    static final int KEY_ID_LENGTH = 8;
    private static final String PREFIX = "v1.";
    private static final byte VERSION = 1;
    private static final int MAC_LENGTH = 32;
    private static final byte[] MAC_DOMAIN = "tekst-outlook/consent-state/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A signing key and its id. */
    public record Key(byte[] id, SecretKey secret) {
        public Key {
            Objects.requireNonNull(secret, "secret");
            if (id == null || id.length != KEY_ID_LENGTH) {
                throw new IllegalArgumentException("a key id is " + KEY_ID_LENGTH + " bytes");
            }
            id = id.clone();
        }

        @Override
        public String toString() {
            return "Key[id=" + HexFormat.of().formatHex(id) + "]";
        }
    }

    /** What a state says once its MAC verified. {@link #toString()} leaves out the nonce. */
    public record Payload(byte[] nonce, Instant issuedAt, ConnectionId connection, String redirectUri,
                          String keyId) {
        public Payload {
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(redirectUri, "redirectUri");
            Objects.requireNonNull(keyId, "keyId");
            if (nonce.length != NONCE_LENGTH) {
                throw new IllegalArgumentException("a nonce is " + NONCE_LENGTH + " bytes");
            }
            nonce = nonce.clone();
        }

        /** The nonce's digest as stored: base64url(SHA-256(nonce)). The nonce itself is never stored. */
        public String nonceDigest() {
            return digest(nonce);
        }

        @Override
        public String toString() {
            return "Payload[connection=" + connection + ", issuedAt=" + issuedAt + ", keyId=" + keyId + "]";
        }
    }

    /** The result of checking a state. */
    public sealed interface Check permits Malformed, Forged, Valid {
    }

    /** Not a state this SDK issues (wrong prefix, length, encoding or layout). */
    public record Malformed(String detail) implements Check {
    }

    /** Well-formed, but signed with an unknown key or the MAC does not verify. */
    public record Forged(String detail) implements Check {
    }

    /** The MAC verified with a configured key. */
    public record Valid(Payload payload) implements Check {
    }

    private final Key current;
    private final List<Key> keys;

    /**
     * @param current  signs new states
     * @param previous still verify states signed before a rotation
     */
    public ConsentState(Key current, List<Key> previous) {
        this.current = Objects.requireNonNull(current, "current");
        this.keys = new ArrayList<>();
        this.keys.add(current);
        for (Key k : previous) {
            for (Key existing : keys) {
                if (Arrays.equals(existing.id(), k.id())) {
                    throw new IllegalArgumentException("two state keys have the same id "
                            + HexFormat.of().formatHex(k.id()));
                }
            }
            this.keys.add(k);
        }
    }

    /** Signs a new state with the current key. */
    public String sign(byte[] nonce, Instant issuedAt, ConnectionId connection, String redirectUri) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("a nonce is " + NONCE_LENGTH + " bytes");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + redirectUri.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.write(current.id());
            out.write(nonce);
            out.writeLong(issuedAt.toEpochMilli());
            writeString(out, connection.value());
            writeString(out, redirectUri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] payload = bytes.toByteArray();
        String state = PREFIX + B64.encodeToString(payload) + "." + B64.encodeToString(mac(current, payload));
        if (state.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the state would be " + state.length() + " characters; the redirect"
                    + " URI is too long");
        }
        return state;
    }

    /** Checks a state: shape first, then the MAC with the key its id names, then the payload's fields. */
    public Check verify(String state) {
        if (state.length() > MAX_LENGTH) {
            return new Malformed("longer than " + MAX_LENGTH + " characters");
        }
        if (!state.startsWith(PREFIX)) {
            return new Malformed("unknown format");
        }
        String rest = state.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot != rest.lastIndexOf('.') || dot == rest.length() - 1) {
            return new Malformed("not three dot-separated parts");
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = B64D.decode(rest.substring(0, dot));
            mac = B64D.decode(rest.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Malformed("not base64url");
        }
        if (payload.length < 1 + KEY_ID_LENGTH + NONCE_LENGTH + 8 + 2 + 2 || payload[0] != VERSION
                || mac.length != MAC_LENGTH) {
            return new Malformed("unexpected layout");
        }
        byte[] keyId = Arrays.copyOfRange(payload, 1, 1 + KEY_ID_LENGTH);
        Key key = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.id(), keyId)) {
                key = k;
            }
        }
        if (key == null) {
            return new Forged("signed with an unknown key");
        }
        if (!MessageDigest.isEqual(mac(key, payload), mac)) {
            return new Forged("the signature does not verify");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(payload, 1 + KEY_ID_LENGTH, payload.length - 1 - KEY_ID_LENGTH);
            byte[] nonce = new byte[NONCE_LENGTH];
            in.get(nonce);
            long issuedAt = in.getLong();
            String connection = readString(in);
            String redirectUri = readString(in);
            if (in.hasRemaining()) {
                return new Malformed("unexpected layout");
            }
            return new Valid(new Payload(nonce, Instant.ofEpochMilli(issuedAt), ConnectionId.of(connection),
                    redirectUri, HexFormat.of().formatHex(keyId)));
        } catch (BufferUnderflowException | CharacterCodingException | IllegalArgumentException
                 | InvalidValueException e) {
            return new Malformed("unexpected layout");
        }
    }

    /** base64url(SHA-256(nonce)): what the store keeps instead of the nonce. */
    public static String digest(byte[] nonce) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(nonce));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] mac(Key key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.secret());
            mac.update(MAC_DOMAIN);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("field too long for a state");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) throws CharacterCodingException {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] b = new byte[length];
        in.get(b);
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b)).toString();
    }
}
