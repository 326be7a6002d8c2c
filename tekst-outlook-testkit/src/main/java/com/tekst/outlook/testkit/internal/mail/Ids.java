package com.tekst.outlook.testkit.internal.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/**
 * Exchange-shaped identifiers, derived deterministically from the mailbox and item numbers (no randomness): REST ids
 * ({@code AAMk...}, url-safe base64 with padding, as Graph returns them), immutable ids ({@code AAkALg...}), change
 * keys, conversation ids and internet message ids. Opaque to clients and case-sensitive, like Graph's. Internal.
 */
public final class Ids {
    private static final Base64.Encoder URL = Base64.getUrlEncoder();
    private static final Base64.Encoder STD = Base64.getEncoder();

    private Ids() {
    }

    /** The mailbox GUID of an account (Exchange's mailbox identity), stable for a tenant and object id. */
    public static UUID mailboxGuid(String tenantId, String objectId) {
        return UUID.nameUUIDFromBytes(("mailbox:" + tenantId + ":" + objectId).getBytes(StandardCharsets.UTF_8));
    }

    /** A folder id: {@code AAMk} + mailbox + store key + folder key. */
    public static String folderId(UUID mailbox, int folderNumber) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(96);
        b.writeBytes(new byte[] {0x00, 0x03, 0x24, 0x00});
        b.writeBytes(mailbox.toString().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, 0x2E, 0x00, 0x00, 0x00, 0x00, 0x00});
        b.writeBytes(hash(16, "store", mailbox.toString()));
        b.writeBytes(new byte[] {0x01, 0x00});
        b.writeBytes(hash(16, "folder", mailbox.toString(), Integer.toString(folderNumber)));
        b.writeBytes(new byte[] {0x00, 0x00});
        return URL.encodeToString(b.toByteArray());
    }

    /**
     * A message's REST id. It names the folder the message is in and the message's location there, so it changes when
     * the message moves (as Graph's default ids do).
     */
    public static String restId(UUID mailbox, int folderNumber, long messageNumber, int location) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(112);
        b.writeBytes(new byte[] {0x00, 0x03, 0x24, 0x00});
        b.writeBytes(mailbox.toString().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00});
        b.writeBytes(hash(16, "store", mailbox.toString()));
        b.writeBytes(new byte[] {0x07, 0x00});
        b.writeBytes(hash(16, "folder", mailbox.toString(), Integer.toString(folderNumber)));
        b.writeBytes(new byte[] {0x00, 0x00});
        b.writeBytes(hash(16, "item", mailbox.toString(), Long.toString(messageNumber), Integer.toString(location)));
        b.writeBytes(new byte[] {0x00, 0x00});
        return URL.encodeToString(b.toByteArray());
    }

    /** A message's immutable id ({@code Prefer: IdType="ImmutableId"}): survives moves within the mailbox. */
    public static String immutableId(UUID mailbox, long messageNumber) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(56);
        b.writeBytes(new byte[] {0x00, 0x09, 0x00, 0x2E, 0x00, 0x00, 0x00, 0x00, 0x00});
        b.writeBytes(hash(16, "store", mailbox.toString()));
        b.writeBytes(new byte[] {0x07, 0x00});
        b.writeBytes(hash(16, "immutable", mailbox.toString(), Long.toString(messageNumber)));
        b.writeBytes(new byte[] {0x00, 0x00, 0x01, (byte) 0x92, (byte) 0xB2, (byte) 0xCD, 0x00, 0x00});
        return URL.encodeToString(b.toByteArray());
    }

    /** A change key (standard base64, as Exchange's), new for every version of an item. */
    public static String changeKey(UUID mailbox, long messageNumber, int version) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        b.writeBytes(new byte[] {0x09, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00});
        b.writeBytes(hash(22, "changekey", mailbox.toString(), Long.toString(messageNumber),
                Integer.toString(version)));
        return STD.encodeToString(b.toByteArray());
    }

    /** A conversation id: the same for every message of a thread in one mailbox. */
    public static String conversationId(UUID mailbox, String conversationKey) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(40);
        b.writeBytes(new byte[] {0x00, 0x04, 0x24, 0x00});
        b.writeBytes(mailbox.toString().substring(0, 8).getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, 0x10, 0x00});
        b.writeBytes(hash(16, "conversation", conversationKey));
        return URL.encodeToString(b.toByteArray());
    }

    /** A conversation index: a thread header plus one 5-byte child block per reply. */
    public static String conversationIndex(String conversationKey, long messageNumber) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        b.write(0x01);
        b.writeBytes(hash(21, "thread", conversationKey));
        b.writeBytes(hash(5, "child", Long.toString(messageNumber)));
        return STD.encodeToString(b.toByteArray());
    }

    /** An RFC 5322 message id in the shape Exchange Online gives it. */
    public static String internetMessageId(String seedText, String domain) {
        String h = hex(hash(14, "imid", seedText)).toUpperCase(java.util.Locale.ROOT);
        String server = hex(hash(4, "server", domain)).toUpperCase(java.util.Locale.ROOT);
        return "<" + h + "@" + "AM0PR" + server + ".eurprd08.prod.outlook.com>";
    }

    /** The first {@code length} bytes of SHA-256 over the parts, separated by NUL. */
    public static byte[] hash(int length, String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            byte[] full = md.digest();
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = full[i % full.length];
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code s} could be an Exchange id at all (url-safe or standard base64 alphabet, with padding). */
    public static boolean looksLikeId(String s) {
        if (s.length() < 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '=' || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
