package com.tekst.outlook.testkit.internal.graph;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.tekst.outlook.mailbox.MailboxType;
import com.tekst.outlook.testkit.FakeMessage;
import com.tekst.outlook.testkit.FakeUser;
import com.tekst.outlook.testkit.internal.Json;
import com.tekst.outlook.testkit.internal.mail.MailboxState;
import com.tekst.outlook.testkit.internal.mail.MessageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Graph's JSON for messages, mail folders and users, property order and all, as the v1.0 endpoint writes it. Message
 * renderings are cached on the (immutable) message version, so a page of a thousand messages is mostly a copy.
 * Internal.
 */
final class GraphJson {
    static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    /** Message properties in Graph's order; {@code uniqueBody} only when selected. */
    static final List<String> MESSAGE_PROPERTIES = List.of("createdDateTime", "lastModifiedDateTime", "changeKey",
            "categories", "receivedDateTime", "sentDateTime", "hasAttachments", "internetMessageId", "subject",
            "bodyPreview", "importance", "parentFolderId", "conversationId", "conversationIndex",
            "isDeliveryReceiptRequested", "isReadReceiptRequested", "isRead", "isDraft", "webLink",
            "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients",
            "replyTo", "flag", "uniqueBody");
    static final List<String> FOLDER_PROPERTIES = List.of("displayName", "parentFolderId", "childFolderCount",
            "unreadItemCount", "totalItemCount", "isHidden");
    static final List<String> USER_DEFAULT = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");
    static final List<String> USER_PROPERTIES = List.of("businessPhones", "displayName", "givenName", "jobTitle",
            "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id",
            "accountEnabled", "userType", "mailNickname", "proxyAddresses", "otherMails", "usageLocation");
    static final long ALL_MESSAGE = (1L << (MESSAGE_PROPERTIES.size() - 1)) - 1;
    static final long ALL_FOLDER = (1L << FOLDER_PROPERTIES.size()) - 1;
    private static final long BODY_BITS = bit("body") | bit("bodyPreview") | bit("uniqueBody");

    /** How a message is rendered: selected properties, id form, body rules, and delta decoration. */
    record MessageShape(long mask, boolean immutableIds, boolean bodyAllowed, boolean textBody, boolean delta) {
    }

    private GraphJson() {
    }

    private static long bit(String property) {
        return 1L << MESSAGE_PROPERTIES.indexOf(property);
    }

    /** The property mask of a {@code $select} (null or empty: every default property). */
    static long messageMask(List<String> select) {
        if (select == null || select.isEmpty()) {
            return ALL_MESSAGE;
        }
        long mask = 0;
        for (String s : select) {
            if (s.equalsIgnoreCase("id")) {
                continue;
            }
            int i = indexIgnoreCase(MESSAGE_PROPERTIES, s);
            if (i < 0) {
                throw GraphError.unknownMessageProperty(s);
            }
            mask |= 1L << i;
        }
        return mask;
    }

    static long folderMask(List<String> select) {
        if (select == null || select.isEmpty()) {
            return ALL_FOLDER;
        }
        long mask = 0;
        for (String s : select) {
            if (s.equalsIgnoreCase("id")) {
                continue;
            }
            int i = indexIgnoreCase(FOLDER_PROPERTIES, s);
            if (i < 0) {
                throw GraphError.unknownProperty("mailFolder", s);
            }
            mask |= 1L << i;
        }
        return mask;
    }

    static int indexIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name.trim())) {
                return i;
            }
        }
        return -1;
    }

    /** The canonical names of a mask, for {@code @odata.context}. */
    static String selectList(List<String> names, long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(names.get(i));
            }
        }
        return String.join(",", out);
    }

    static String date(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ---- messages --------------------------------------------------------------------------------------------------

    /** A message as one JSON object, from the version's cache when rendered this way before. */
    static byte[] message(MessageRecord m, MessageShape shape) {
        byte[] cached = m.cachedRender(shape);
        if (cached != null) {
            return cached;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.bodyHtml.length() + 2048);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writeMessage(g, m, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        m.cacheRender(shape, bytes);
        return bytes;
    }

    private static void writeMessage(JsonGenerator g, MessageRecord m, MessageShape shape) throws IOException {
        long mask = shape.mask();
        if (!shape.bodyAllowed()) {
            mask &= ~BODY_BITS;
        }
        g.writeStartObject();
        if (shape.delta()) {
            g.writeStringField("@odata.type", "#microsoft.graph.message");
        }
        g.writeStringField("@odata.etag", "W/\"" + m.changeKey + "\"");
        g.writeStringField("id", shape.immutableIds() ? m.immutableId : m.restId);
        for (int i = 0; i < MESSAGE_PROPERTIES.size(); i++) {
            if ((mask & (1L << i)) == 0) {
                continue;
            }
            String p = MESSAGE_PROPERTIES.get(i);
            switch (p) {
                case "createdDateTime" -> g.writeStringField(p, date(m.createdDateTime));
                case "lastModifiedDateTime" -> g.writeStringField(p, date(m.lastModifiedDateTime));
                case "changeKey" -> g.writeStringField(p, m.changeKey);
                case "categories" -> {
                    g.writeArrayFieldStart(p);
                    for (String c : m.categories) {
                        g.writeString(c);
                    }
                    g.writeEndArray();
                }
                case "receivedDateTime" -> g.writeStringField(p, date(m.receivedDateTime));
                case "sentDateTime" -> g.writeStringField(p, date(m.sentDateTime));
                case "hasAttachments" -> g.writeBooleanField(p, m.hasAttachments);
                case "internetMessageId" -> g.writeStringField(p, m.internetMessageId);
                case "subject" -> g.writeStringField(p, m.subject);
                case "bodyPreview" -> g.writeStringField(p, m.bodyPreview);
                case "importance" -> g.writeStringField(p, m.importance);
                case "parentFolderId" -> g.writeStringField(p, m.folderId);
                case "conversationId" -> g.writeStringField(p, m.conversationId);
                case "conversationIndex" -> g.writeStringField(p, m.conversationIndex);
                case "isDeliveryReceiptRequested", "isReadReceiptRequested", "isDraft" -> g.writeBooleanField(p, false);
                case "isRead" -> g.writeBooleanField(p, m.isRead);
                case "webLink" -> g.writeStringField(p, "https://outlook.office365.com/owa/?ItemID="
                        + URLEncoder.encode(m.restId, StandardCharsets.UTF_8) + "&exvsurl=1&viewmodel=ReadMessageItem");
                case "inferenceClassification" -> g.writeStringField(p, "focused");
                case "body", "uniqueBody" -> {
                    g.writeObjectFieldStart(p);
                    g.writeStringField("contentType", shape.textBody() ? "text" : "html");
                    g.writeStringField("content", shape.textBody() ? MailboxState.htmlToText(m.bodyHtml) : m.bodyHtml);
                    g.writeEndObject();
                }
                case "sender", "from" -> {
                    g.writeFieldName(p);
                    recipient(g, m.from);
                }
                case "toRecipients" -> recipients(g, p, m.toRecipients);
                case "ccRecipients" -> recipients(g, p, m.ccRecipients);
                case "bccRecipients", "replyTo" -> recipients(g, p, List.of());
                case "flag" -> {
                    g.writeObjectFieldStart(p);
                    g.writeStringField("flagStatus", m.flagStatus);
                    g.writeEndObject();
                }
                default -> throw new IllegalStateException(p);
            }
        }
        g.writeEndObject();
    }

    private static void recipients(JsonGenerator g, String field, List<FakeMessage.Recipient> list)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (FakeMessage.Recipient r : list) {
            recipient(g, r);
        }
        g.writeEndArray();
    }

    private static void recipient(JsonGenerator g, FakeMessage.Recipient r) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("emailAddress");
        g.writeStringField("name", r.name());
        g.writeStringField("address", r.address());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A delta removal: {@code {"@odata.type":"#microsoft.graph.message","id":"...","@removed":{"reason":"deleted"}}}. */
    static byte[] removed(String type, String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("@odata.type", "#microsoft.graph." + type);
            g.writeStringField("id", id);
            g.writeObjectFieldStart("@removed");
            g.writeStringField("reason", "deleted");
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- folders ---------------------------------------------------------------------------------------------------

    static byte[] folder(MailboxState.FolderView f, long mask, boolean delta) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (delta) {
                g.writeStringField("@odata.type", "#microsoft.graph.mailFolder");
            }
            g.writeStringField("id", f.id());
            for (int i = 0; i < FOLDER_PROPERTIES.size(); i++) {
                if ((mask & (1L << i)) == 0) {
                    continue;
                }
                String p = FOLDER_PROPERTIES.get(i);
                switch (p) {
                    case "displayName" -> g.writeStringField(p, f.displayName());
                    case "parentFolderId" -> g.writeStringField(p, f.parentFolderId());
                    case "childFolderCount" -> g.writeNumberField(p, f.childFolderCount());
                    case "unreadItemCount" -> g.writeNumberField(p, f.unreadItemCount());
                    case "totalItemCount" -> g.writeNumberField(p, f.totalItemCount());
                    default -> g.writeBooleanField(p, f.hidden());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- users -----------------------------------------------------------------------------------------------------

    /** The canonical user property names of a {@code $select}; null or empty: the default set. */
    static List<String> userSelect(List<String> select) {
        if (select == null || select.isEmpty()) {
            return USER_DEFAULT;
        }
        List<String> out = new ArrayList<>();
        for (String s : select) {
            int i = indexIgnoreCase(USER_PROPERTIES, s);
            if (i < 0) {
                throw new GraphError(400, "Request_BadRequest", "Could not find a property named '" + s.trim()
                        + "' on type 'Microsoft.DirectoryServices.User'.");
            }
            if (!out.contains(USER_PROPERTIES.get(i))) {
                out.add(USER_PROPERTIES.get(i));
            }
        }
        return out;
    }

    /** A user's directory properties (what {@code $filter} and {@code $select} see). */
    static Map<String, Object> userValues(FakeUser u) {
        Map<String, Object> v = new LinkedHashMap<>();
        String[] names = u.displayName().split(" ", 2);
        boolean isUser = u.mailboxType().map(t -> t == MailboxType.USER).orElse(true);
        v.put("businessPhones", List.of());
        v.put("displayName", u.displayName());
        v.put("givenName", isUser ? names[0] : null);
        v.put("jobTitle", null);
        v.put("mail", u.mail().orElse(null));
        v.put("mobilePhone", null);
        v.put("officeLocation", null);
        v.put("preferredLanguage", isUser ? "en-US" : null);
        v.put("surname", isUser && names.length > 1 ? names[1] : null);
        v.put("userPrincipalName", u.userPrincipalName());
        v.put("id", u.objectId());
        v.put("accountEnabled", isUser);
        v.put("userType", u.noMailboxReason().filter(r -> r == FakeUser.NoMailboxReason.GUEST).isPresent()
                ? "Guest" : "Member");
        String upn = u.userPrincipalName();
        v.put("mailNickname", upn.substring(0, upn.indexOf('@')));
        List<String> proxies = new ArrayList<>();
        u.mail().ifPresent(m -> proxies.add("SMTP:" + m));
        for (String a : u.aliases()) {
            proxies.add("smtp:" + a);
        }
        v.put("proxyAddresses", proxies);
        v.put("otherMails", List.of());
        v.put("usageLocation", isUser ? "US" : null);
        return v;
    }

    static void writeUser(JsonGenerator g, FakeUser u, List<String> properties) throws IOException {
        Map<String, Object> values = userValues(u);
        g.writeStartObject();
        for (String p : properties) {
            Object v = values.get(p);
            if (v instanceof List<?> list) {
                g.writeArrayFieldStart(p);
                for (Object o : list) {
                    g.writeString(o.toString());
                }
                g.writeEndArray();
            } else if (v instanceof Boolean b) {
                g.writeBooleanField(p, b);
            } else if (v == null) {
                g.writeNullField(p);
            } else {
                g.writeStringField(p, v.toString());
            }
        }
        g.writeEndObject();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
