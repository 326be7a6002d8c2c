package com.tekst.outlook.graph.internal.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.tekst.outlook.sync.EmailAddress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessageBody;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Graph's message collection pages (message delta and message list) and a folder's {@code totalItemCount} with
 * Jackson's streaming {@link JsonParser}: no tree, no data binding, no Graph SDK models (they cost 6–10× the parse
 * time and allocation).
 *
 * <p>Strict where it matters, lenient where Graph is: the page is one JSON object with a {@code value} array and at
 * most one {@code @odata.nextLink} and one {@code @odata.deltaLink}, in any order; every item is an object; a message
 * has a non-empty {@code id}, {@code receivedDateTime} and {@code parentFolderId}; every known field has its JSON
 * type (or {@code null}); nothing follows the root object. Anything else, truncated JSON included, fails the whole
 * page with a {@link PageFormatException}. Unknown fields and annotations ({@code @odata.context},
 * {@code @odata.etag}, {@code @odata.type}, {@code @odata.count}, …) are skipped whatever their shape.
 *
 * <p>Failure messages name the place (item index, field, byte offset) and never quote content: Jackson's own messages
 * (which may quote a token of the body) are not kept, not even as a cause. Stateless and thread-safe. Internal.
 */
final class MailPageParser {
    /** Which collection is read: delta pages may carry removals and a delta link; list pages neither. */
    enum Kind { DELTA, LIST }

    /** A parsed page: messages in order, removed ids ({@code @removed} items), and the links found. */
    record Page(List<MailMessage> messages, List<String> removedIds, String nextLink, String deltaLink) {
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MailPageParser() {
    }

    /** Parses a message collection page. */
    static Page page(byte[] body, Kind kind) throws PageFormatException {
        try {
            return page(JSON.createParser(body), kind);
        } catch (PageFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new PageFormatException("the answer cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Parses a message collection page as it arrives. An {@link IOException} of the stream itself (the connection
     * dropped, a timeout) is thrown as is: that is not a malformed page; invalid or truncated JSON is.
     */
    static Page page(InputStream body, Kind kind) throws IOException, PageFormatException {
        return page(JSON.createParser(body), kind);
    }

    private static Page page(JsonParser parser, Kind kind) throws IOException, PageFormatException {
        try (JsonParser p = parser) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PageFormatException("the answer is not a JSON object");
            }
            List<MailMessage> messages = null;
            List<String> removed = new ArrayList<>();
            String nextLink = null;
            String deltaLink = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "value" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new PageFormatException("'value' is not an array");
                        }
                        messages = new ArrayList<>();
                        readItems(p, kind, messages, removed);
                    }
                    case "@odata.nextLink" -> nextLink = link(p, value, name);
                    case "@odata.deltaLink" -> {
                        if (kind == Kind.LIST) {
                            throw new PageFormatException("a message list carries a delta link");
                        }
                        deltaLink = link(p, value, name);
                    }
                    case "error" -> throw new PageFormatException("a successful answer carries an error object");
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new PageFormatException("the page object does not end");
            }
            if (p.nextToken() != null) {
                throw new PageFormatException("content follows the page object at byte " + offset(p));
            }
            if (messages == null) {
                throw new PageFormatException("the page has no 'value' array");
            }
            if (kind == Kind.DELTA && (nextLink == null) == (deltaLink == null)) {
                throw new PageFormatException(nextLink == null ? "the delta page has neither a next nor a delta link"
                        : "the delta page has both a next and a delta link");
            }
            return new Page(messages, removed, nextLink, deltaLink);
        } catch (JsonEOFException e) {
            throw new PageFormatException("the JSON ends early (truncated at byte " + offsetOf(e) + ")");
        } catch (JsonProcessingException e) {
            throw new PageFormatException("the answer is not valid JSON (at byte " + offsetOf(e) + ")");
        }
    }

    /** Parses {@code {"totalItemCount": n, …}} of a mail folder. */
    static long totalItemCount(byte[] body) throws PageFormatException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PageFormatException("the answer is not a JSON object");
            }
            long count = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("totalItemCount")) {
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw new PageFormatException("'totalItemCount' is not a whole number");
                    }
                    count = p.getLongValue();
                    if (count < 0) {
                        throw new PageFormatException("'totalItemCount' is negative");
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new PageFormatException("the folder object is not a single JSON object");
            }
            if (count < 0) {
                throw new PageFormatException("the folder has no 'totalItemCount'");
            }
            return count;
        } catch (JsonEOFException e) {
            throw new PageFormatException("the JSON ends early (truncated at byte " + body.length + ")");
        } catch (JsonProcessingException e) {
            throw new PageFormatException("the answer is not valid JSON (at byte " + offsetOf(e) + ")");
        } catch (IOException e) {
            throw new PageFormatException("the answer cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    // ---- items -----------------------------------------------------------------------------------------------------

    private static void readItems(JsonParser p, Kind kind, List<MailMessage> messages, List<String> removed)
            throws IOException, PageFormatException {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new PageFormatException("value[" + index + "] is not an object");
            }
            readItem(p, kind, index, messages, removed);
            index++;
        }
    }

    private static void readItem(JsonParser p, Kind kind, int index, List<MailMessage> messages, List<String> removed)
            throws IOException, PageFormatException {
        String id = null;
        boolean isRemoval = false;
        String internetMessageId = null;
        String conversationId = null;
        String folderId = null;
        String subject = null;
        EmailAddress from = null;
        List<EmailAddress> to = null;
        List<EmailAddress> cc = null;
        Instant received = null;
        String preview = null;
        MessageBody body = null;
        boolean isRead = false;
        List<String> categories = null;
        boolean hasAttachments = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, v, index, name);
                case "@removed" -> {
                    if (v != JsonToken.START_OBJECT) {
                        throw new PageFormatException(where(index, name) + " is not an object");
                    }
                    p.skipChildren();
                    isRemoval = true;
                }
                case "internetMessageId" -> internetMessageId = string(p, v, index, name);
                case "conversationId" -> conversationId = string(p, v, index, name);
                case "parentFolderId" -> folderId = string(p, v, index, name);
                case "subject" -> subject = string(p, v, index, name);
                case "from" -> from = recipient(p, v, index, name);
                case "toRecipients" -> to = recipients(p, v, index, name);
                case "ccRecipients" -> cc = recipients(p, v, index, name);
                case "receivedDateTime" -> received = instant(p, v, index, name);
                case "bodyPreview" -> preview = string(p, v, index, name);
                case "body" -> body = body(p, v, index);
                case "isRead" -> isRead = bool(v, index, name);
                case "categories" -> categories = strings(p, v, index, name);
                case "hasAttachments" -> hasAttachments = bool(v, index, name);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isEmpty()) {
            throw new PageFormatException(where(index, "id") + " is missing");
        }
        if (isRemoval) {
            if (kind == Kind.LIST) {
                throw new PageFormatException("value[" + index + "] is a removal in a message list");
            }
            removed.add(id);
            return;
        }
        if (received == null) {
            throw new PageFormatException(where(index, "receivedDateTime") + " is missing");
        }
        if (folderId == null || folderId.isEmpty()) {
            throw new PageFormatException(where(index, "parentFolderId") + " is missing");
        }
        messages.add(new MailMessage(id, internetMessageId, conversationId, folderId, subject, from, to, cc, received,
                preview, body, isRead, categories, hasAttachments));
    }

    // ---- values ----------------------------------------------------------------------------------------------------

    private static String link(JsonParser p, JsonToken v, String name) throws IOException, PageFormatException {
        if (v != JsonToken.VALUE_STRING) {
            throw new PageFormatException("'" + name + "' is not a string");
        }
        String link = p.getText();
        if (link.isBlank()) {
            throw new PageFormatException("'" + name + "' is empty");
        }
        return link;
    }

    private static String string(JsonParser p, JsonToken v, int index, String name)
            throws IOException, PageFormatException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new PageFormatException(where(index, name) + " is not a string");
    }

    private static boolean bool(JsonToken v, int index, String name) throws PageFormatException {
        if (v == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (v == JsonToken.VALUE_FALSE || v == JsonToken.VALUE_NULL) {
            return false;
        }
        throw new PageFormatException(where(index, name) + " is not a boolean");
    }

    private static Instant instant(JsonParser p, JsonToken v, int index, String name)
            throws IOException, PageFormatException {
        String text = string(p, v, index, name);
        if (text == null) {
            return null;
        }
        Instant fast = utcSeconds(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new PageFormatException(where(index, name) + " is not an ISO-8601 date and time");
            }
        }
    }

    /**
     * Graph's usual form, {@code 2026-01-05T08:12:44Z}, read without a {@code DateTimeFormatter} (which costs more than
     * the rest of a message). {@code null} for anything else, including impossible dates: those take the general path,
     * so the result is always what {@link Instant#parse} gives.
     */
    static Instant utcSeconds(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || (day > 28 && day > monthLength(year, month))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second);
    }

    private static int monthLength(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    /** The decimal number in {@code t[from, from + n)}, or -1 if a character is not a digit. */
    private static int digits(String t, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static List<String> strings(JsonParser p, JsonToken v, int index, String name)
            throws IOException, PageFormatException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_ARRAY) {
            throw new PageFormatException(where(index, name) + " is not an array");
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new PageFormatException(where(index, name) + " holds a value that is not a string");
            }
            out.add(p.getText());
        }
        return out;
    }

    private static List<EmailAddress> recipients(JsonParser p, JsonToken v, int index, String name)
            throws IOException, PageFormatException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_ARRAY) {
            throw new PageFormatException(where(index, name) + " is not an array");
        }
        List<EmailAddress> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            EmailAddress a = recipient(p, t, index, name);
            if (a == null) {
                throw new PageFormatException(where(index, name) + " holds a null recipient");
            }
            out.add(a);
        }
        return out;
    }

    /** A Graph {@code recipient}: {@code {"emailAddress":{"name":…,"address":…}}}; {@code null} for JSON null. */
    private static EmailAddress recipient(JsonParser p, JsonToken v, int index, String name)
            throws IOException, PageFormatException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new PageFormatException(where(index, name) + " is not a recipient object");
        }
        String display = null;
        String address = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken fv = p.nextToken();
            if (!field.equals("emailAddress")) {
                p.skipChildren();
                continue;
            }
            if (fv == JsonToken.VALUE_NULL) {
                continue;
            }
            if (fv != JsonToken.START_OBJECT) {
                throw new PageFormatException(where(index, name) + ".emailAddress is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String part = p.currentName();
                JsonToken pv = p.nextToken();
                switch (part) {
                    case "name" -> display = string(p, pv, index, name + ".emailAddress.name");
                    case "address" -> address = string(p, pv, index, name + ".emailAddress.address");
                    default -> p.skipChildren();
                }
            }
        }
        return new EmailAddress(display, address);
    }

    /** A Graph {@code itemBody}: {@code {"contentType":"html"|"text","content":…}}. */
    private static MessageBody body(JsonParser p, JsonToken v, int index) throws IOException, PageFormatException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new PageFormatException(where(index, "body") + " is not an object");
        }
        String type = null;
        String content = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken fv = p.nextToken();
            switch (field) {
                case "contentType" -> type = string(p, fv, index, "body.contentType");
                case "content" -> content = string(p, fv, index, "body.content");
                default -> p.skipChildren();
            }
        }
        if (type == null) {
            throw new PageFormatException(where(index, "body.contentType") + " is missing");
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "html" -> MessageBody.html(content);
            case "text" -> MessageBody.text(content);
            default -> throw new PageFormatException(where(index, "body.contentType") + " is neither html nor text");
        };
    }

    private static String where(int index, String field) {
        return "value[" + index + "]." + field;
    }

    private static long offset(JsonParser p) {
        return p.currentLocation().getByteOffset();
    }

    private static long offsetOf(JsonProcessingException e) {
        return e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
    }
}
