package com.tekst.outlook.graph;

import com.tekst.outlook.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret key that signs the admin-consent {@code state} (HMAC-SHA256). The application supplies it, keeps it secret,
 * and shares it between every instance that may receive the redirect back from Microsoft (so a callback can land on
 * another instance than the one that started consent).
 *
 * <p>Keys rotate: configure the new key as current and keep the old one as previous
 * ({@link OutlookClient.Builder#stateKeys(StateKey, StateKey...)}) for at least the consent state lifetime; states
 * signed with the old key are still accepted, new states are signed with the new key. Each key has an {@link #id()}
 * derived from it (the first 8 bytes of a SHA-256 digest), carried in the state to pick the key on verification.
 *
 * <p>Immutable. {@link #toString()} shows the id only; the key bytes never leave this object except into the
 * HMAC.
 */
public final class StateKey {
    /** The smallest accepted key: 32 bytes (256 bits), the output size of SHA-256. */
    public static final int MIN_LENGTH = 32;
    /** The largest accepted key, in bytes. */
    public static final int MAX_LENGTH = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ID_DOMAIN = "tekst-outlook/consent-state-key-id/v1\0".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;
    private final byte[] id;

    private StateKey(byte[] key) {
        this.key = key;
        this.id = deriveId(key);
    }

    /**
     * Wraps key bytes (copied).
     *
     * @throws InvalidValueException if there are fewer than {@value #MIN_LENGTH} or more than {@value #MAX_LENGTH}
     *                               bytes, or they are all equal (an unset key)
     */
    public static StateKey of(byte[] key) {
        if (key == null) {
            throw new InvalidValueException("state key", "must not be null");
        }
        if (key.length < MIN_LENGTH || key.length > MAX_LENGTH) {
            throw new InvalidValueException("state key", "must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " bytes long; got " + key.length + " bytes");
        }
        boolean allSame = true;
        for (byte b : key) {
            allSame &= b == key[0];
        }
        if (allSame) {
            throw new InvalidValueException("state key", "must be random bytes; got " + key.length
                    + " identical bytes (an unset key?)");
        }
        return new StateKey(key.clone());
    }

    /**
     * Decodes a key from Base64 (standard or URL-safe, padding optional), as it would come from a secret store or an
     * environment variable.
     *
     * @throws InvalidValueException if the text is not Base64 or decodes to an unacceptable key; the message never
     *                               quotes the text
     */
    public static StateKey fromBase64(String base64) {
        if (base64 == null) {
            throw new InvalidValueException("state key", "must not be null");
        }
        String s = base64.strip().replace('-', '+').replace('_', '/');
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("state key", "is not valid Base64 (" + base64.length()
                    + " characters; the value is not shown)");
        }
        try {
            return of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A new key of 32 random bytes from a {@link SecureRandom}, e.g. for tests and demos. */
    public static StateKey random() {
        byte[] bytes = new byte[MIN_LENGTH];
        RANDOM.nextBytes(bytes);
        return new StateKey(bytes);
    }

    /** The key id: 16 lower-case hex characters derived from the key. Not secret. */
    public String id() {
        return HexFormat.of().formatHex(id);
    }

    /** The key id as carried in a state. */
    byte[] idBytes() {
        return id.clone();
    }

    /** The key for {@code javax.crypto.Mac}. */
    SecretKey secretKey() {
        return new SecretKeySpec(key, "HmacSHA256");
    }

    /** Two keys are equal when their bytes are (compared in constant time). */
    @Override
    public boolean equals(Object o) {
        return o instanceof StateKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "StateKey[id=" + id() + "]";
    }

    private static byte[] deriveId(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ID_DOMAIN);
            return Arrays.copyOf(sha256.digest(Objects.requireNonNull(key)), 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
