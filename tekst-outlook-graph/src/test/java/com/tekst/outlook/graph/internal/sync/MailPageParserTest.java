package com.tekst.outlook.graph.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.tekst.outlook.graph.internal.sync.MailPageParser.Kind;
import com.tekst.outlook.graph.internal.sync.MailPageParser.Page;
import com.tekst.outlook.sync.EmailAddress;
import com.tekst.outlook.sync.MailMessage;
import com.tekst.outlook.sync.MessageBody;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written Graph pages of every shape the parser meets: Graph's documented delta and list shapes,
 * every field of {@link MailMessage#DEFAULT_FIELDS}, removals, annotations and unknown fields, nulls, and every way a
 * page can be unusable (truncated anywhere, wrong types, missing required fields, wrong links).
 */
class MailPageParserTest {
    static final String NEXT = "https://graph.microsoft.com/v1.0/users/5a1b/mailFolders('AQMkADNk')/messages/delta"
            + "?$skiptoken=GwcBoTmPuoTQWfcsAbkYM";
    static final String DELTA = "https://graph.microsoft.com/v1.0/users/5a1b/mailFolders('AQMkADNk')/messages/delta"
            + "?$deltatoken=LztZwWjo5IivWBhyxw5rACKxf7mPm0oW6JZZ7fvKxYPS_67JnEYmfQQMPccy6FRun0DWJF5775dvuXxlZnMYhBubC1v4SBVT9ZjO8f7acZI";

    /** A message with every default field, as Graph writes it (property order and annotations included). */
    static final String FULL_MESSAGE = """
            {
              "@odata.type": "#microsoft.graph.message",
              "@odata.etag": "W/\\"CQAAABYAAAB2ZxqU8tr6OjQU3hJs7sBbAABk0tkW\\"",
              "categories": ["Blue category", "Invoices"],
              "receivedDateTime": "2026-01-05T08:12:44Z",
              "hasAttachments": true,
              "internetMessageId": "<DM6PR11MB1234.namprd11.prod.outlook.com>",
              "subject": "Invoice 4471 overdue",
              "bodyPreview": "Please find the invoice attached.",
              "importance": "normal",
              "parentFolderId": "AQMkADNkNAAAgEMAAAA",
              "conversationId": "AAQkADNkNGI2ZTA1LTQyMjA=",
              "isRead": true,
              "body": {"contentType": "html", "content": "<html><body><p>Please find the invoice attached.</p></body></html>"},
              "from": {"emailAddress": {"name": "Debra Berry", "address": "debra@fabrikam.com"}},
              "toRecipients": [{"emailAddress": {"name": "Alice", "address": "alice@contoso.com"}},
                               {"emailAddress": {"name": "Bob", "address": "bob@contoso.com"}}],
              "ccRecipients": [{"emailAddress": {"name": "", "address": "ap@contoso.com"}}],
              "flag": {"flagStatus": "notFlagged"},
              "id": "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AmrZ6nNQvOUy4mZCsyC1hagAAAqzcAAA="
            }""";

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Page delta(String json) throws PageFormatException {
        return MailPageParser.page(bytes(json), Kind.DELTA);
    }

    static PageFormatException malformed(String json, Kind kind) {
        return catchThrowableOfType(PageFormatException.class, () -> MailPageParser.page(bytes(json), kind));
    }

    static String page(String links, String... items) {
        return "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#Collection(message)\"," + links
                + ",\"value\":[" + String.join(",", items) + "]}";
    }

    static String nextLink() {
        return "\"@odata.nextLink\":\"" + NEXT + "\"";
    }

    static String deltaLink() {
        return "\"@odata.deltaLink\":\"" + DELTA + "\"";
    }

    static String message(String id, String received, String folder) {
        return "{\"id\":\"" + id + "\",\"receivedDateTime\":\"" + received + "\",\"parentFolderId\":\"" + folder
                + "\"}";
    }

    // ---- what Graph sends ------------------------------------------------------------------------------------------

    @Test
    void everyDefaultFieldIsMapped() throws Exception {
        Page p = delta(page(nextLink(), FULL_MESSAGE));

        assertThat(p.nextLink()).isEqualTo(NEXT);
        assertThat(p.deltaLink()).isNull();
        assertThat(p.removedIds()).isEmpty();
        MailMessage m = p.messages().get(0);
        assertThat(m.id()).isEqualTo("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AmrZ6nNQvOUy4mZCsyC1hagAAAqzcAAA=");
        assertThat(m.internetMessageId()).isEqualTo("<DM6PR11MB1234.namprd11.prod.outlook.com>");
        assertThat(m.conversationId()).isEqualTo("AAQkADNkNGI2ZTA1LTQyMjA=");
        assertThat(m.folderId()).isEqualTo("AQMkADNkNAAAgEMAAAA");
        assertThat(m.subject()).isEqualTo("Invoice 4471 overdue");
        assertThat(m.from()).contains(new EmailAddress("Debra Berry", "debra@fabrikam.com"));
        assertThat(m.to()).containsExactly(new EmailAddress("Alice", "alice@contoso.com"),
                new EmailAddress("Bob", "bob@contoso.com"));
        assertThat(m.cc()).containsExactly(new EmailAddress("", "ap@contoso.com"));
        assertThat(m.receivedDateTime()).isEqualTo(Instant.parse("2026-01-05T08:12:44Z"));
        assertThat(m.bodyPreview()).isEqualTo("Please find the invoice attached.");
        assertThat(m.body()).contains(MessageBody.html(
                "<html><body><p>Please find the invoice attached.</p></body></html>"));
        assertThat(m.isRead()).isTrue();
        assertThat(m.categories()).containsExactly("Blue category", "Invoices");
        assertThat(m.hasAttachments()).isTrue();
    }

    /** The shape of the message-delta documentation's example response, with the fields the SDK always selects. */
    @Test
    void graphsDocumentedDeltaPageShape() throws Exception {
        String json = """
                {
                  "@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
                  "@odata.nextLink":"%s",
                  "value": [
                    {
                      "@odata.type": "#microsoft.graph.message",
                      "@odata.etag": "W/\\"CQAAABYAAAB2ZxqU8tr6OjQU3hJs7sBbAABk0tkW\\"",
                      "sender": {"emailAddress": {"name": "Microsoft Teams", "address": "noreply@email.teams.microsoft.com"}},
                      "subject": "You have upcoming tasks due",
                      "isRead": false,
                      "receivedDateTime": "2026-01-04T17:00:00Z",
                      "parentFolderId": "AQMkADNkNAAAgEMAAAA",
                      "internetMessageId": "<abc@teams.example>",
                      "id": "AAMkADNkNAAAgWkAAAA"
                    }
                  ]
                }""".formatted(NEXT);
        Page p = delta(json);
        assertThat(p.messages()).extracting(MailMessage::id).containsExactly("AAMkADNkNAAAgWkAAAA");
        MailMessage m = p.messages().get(0);
        assertThat(m.subject()).isEqualTo("You have upcoming tasks due");
        assertThat(m.isRead()).isFalse();
        assertThat(m.from()).as("'sender' is not 'from'").isEmpty();
        assertThat(m.body()).as("not selected").isEmpty();
        assertThat(m.to()).isEmpty();
        assertThat(p.nextLink()).isEqualTo(NEXT);
    }

    /** The documentation's example itself selects neither receivedDateTime nor parentFolderId: unusable for sync. */
    @Test
    void graphsDocumentedExampleWithoutTheRequiredFieldsIsMalformed() {
        String json = page(nextLink(), """
                {"@odata.type":"#microsoft.graph.message","@odata.etag":"W/\\"CQAAABYAAAB2ZxqU8\\"",
                 "subject":"You have upcoming tasks due","isRead":false,"id":"AAMkADNkNAAAgWkAAAA"}""");
        assertThat(malformed(json, Kind.DELTA)).hasMessage("value[0].receivedDateTime is missing");
    }

    @Test
    void removalsInDocumentedShapeWhateverTheOrderAndReason() throws Exception {
        Page p = delta(page(deltaLink(),
                message("m1", "2026-01-05T08:00:00Z", "f1"),
                "{\"@odata.type\":\"#microsoft.graph.message\",\"id\":\"gone-1\",\"@removed\":{\"reason\":\"deleted\"}}",
                "{\"@removed\":{\"reason\":\"changed\"},\"@odata.type\":\"#microsoft.graph.message\",\"id\":\"gone-2\"}"));
        assertThat(p.messages()).extracting(MailMessage::id).containsExactly("m1");
        assertThat(p.removedIds()).containsExactly("gone-1", "gone-2");
        assertThat(p.deltaLink()).isEqualTo(DELTA);
        assertThat(p.nextLink()).isNull();
    }

    @Test
    void anEmptyLastPageCarriesOnlyTheDeltaLink() throws Exception {
        Page p = delta("{\"@odata.context\":\"x\",\"value\":[],\"@odata.deltaLink\":\"" + DELTA + "\"}");
        assertThat(p.messages()).isEmpty();
        assertThat(p.removedIds()).isEmpty();
        assertThat(p.deltaLink()).isEqualTo(DELTA);
    }

    @Test
    void linksMayComeAfterTheValues() throws Exception {
        Page p = delta("{\"value\":[" + message("m1", "2026-01-05T08:00:00Z", "f") + "]," + nextLink() + "}");
        assertThat(p.nextLink()).isEqualTo(NEXT);
        assertThat(p.messages()).hasSize(1);
    }

    @Test
    void unknownFieldsAndAnnotationsOfAnyShapeAreSkipped() throws Exception {
        String item = """
                {"@odata.type":"#microsoft.graph.message","@odata.etag":"W/\\"x\\"","id":"m1",
                 "uniqueBody":{"contentType":"html","content":"<p>x</p>"},"flag":{"flagStatus":"flagged",
                 "dueDateTime":{"dateTime":"2026-01-06T00:00:00.0000000","timeZone":"UTC"}},
                 "replyTo":[],"bccRecipients":[{"emailAddress":{"name":"n","address":"a@b"}}],
                 "internetMessageHeaders":[{"name":"X-Spam","value":"no"}],"webLink":"https://outlook.office365.com/owa/",
                 "receivedDateTime":"2026-01-05T08:00:00Z","parentFolderId":"f","someNumber":1.5e3,"someNull":null,
                 "from":{"emailAddress":{"name":"N","address":"n@x.example","extra":{"a":[1,2]}},"other":true},
                 "toRecipients":[{"emailAddress":{"address":"only@address.example"}}]}""";
        String json = "{\"@odata.context\":\"c\",\"@odata.count\":1,\"@microsoft.graph.tips\":\"Use $select\","
                + "\"extra\":{\"nested\":[{\"value\":[1]}]}," + nextLink() + ",\"value\":[" + item + "]}";
        MailMessage m = delta(json).messages().get(0);
        assertThat(m.id()).isEqualTo("m1");
        assertThat(m.from()).contains(new EmailAddress("N", "n@x.example"));
        assertThat(m.to()).containsExactly(new EmailAddress("", "only@address.example"));
        assertThat(m.cc()).isEmpty();
    }

    @Test
    void nullsOfOptionalFieldsAreEmpty() throws Exception {
        String item = """
                {"id":"m1","receivedDateTime":"2026-01-05T08:00:00Z","parentFolderId":"f","internetMessageId":null,
                 "conversationId":null,"subject":null,"from":null,"toRecipients":null,"ccRecipients":null,
                 "bodyPreview":null,"body":null,"isRead":null,"categories":null,"hasAttachments":null}""";
        MailMessage m = delta(page(nextLink(), item)).messages().get(0);
        assertThat(m.internetMessageId()).isEmpty();
        assertThat(m.conversationId()).isEmpty();
        assertThat(m.subject()).isEmpty();
        assertThat(m.from()).isEmpty();
        assertThat(m.to()).isEmpty();
        assertThat(m.cc()).isEmpty();
        assertThat(m.bodyPreview()).isEmpty();
        assertThat(m.body()).isEmpty();
        assertThat(m.isRead()).isFalse();
        assertThat(m.categories()).isEmpty();
        assertThat(m.hasAttachments()).isFalse();
    }

    @Test
    void textBodiesAndContentTypeInAnyCase() throws Exception {
        String text = "{\"id\":\"m1\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\","
                + "\"body\":{\"contentType\":\"text\",\"content\":\"Hello\\r\\nworld \\u00e9\"}}";
        String html = "{\"id\":\"m2\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\","
                + "\"body\":{\"content\":null,\"contentType\":\"HTML\"}}";
        List<MailMessage> ms = delta(page(nextLink(), text, html)).messages();
        assertThat(ms.get(0).body()).contains(MessageBody.text("Hello\r\nworld \u00e9"));
        assertThat(ms.get(1).body()).contains(MessageBody.html(""));
    }

    @Test
    void datesWithFractionsOrOffsets() throws Exception {
        List<MailMessage> ms = delta(page(nextLink(),
                message("a", "2026-01-05T08:00:00.1234567Z", "f"),
                message("b", "2026-01-05T10:00:00+02:00", "f"))).messages();
        assertThat(ms.get(0).receivedDateTime()).isEqualTo(Instant.parse("2026-01-05T08:00:00.1234567Z"));
        assertThat(ms.get(1).receivedDateTime()).isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
    }

    /** The formatter-free path for Graph's usual form reads exactly what {@link Instant#parse} reads. */
    @Test
    void theFastDatePathAgreesWithInstantParse() {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L));
            String text = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t);
            if (text.length() == 20) {
                assertThat(MailPageParser.utcSeconds(text)).as(text).isEqualTo(t).isEqualTo(Instant.parse(text));
            }
        }
        for (String other : List.of("2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-01-05T24:00:00Z", "2026-01-05T23:60:00Z", "2026-01-05T23:00:61Z", "2026-01-05t23:00:00Z",
                "2026-01-05T23:00:00+", "2026-01-05T23:00:00.5Z", "+2026-01-05T23:00:0Z", "2024-02-29T12:00:00Z")) {
            Instant fast = MailPageParser.utcSeconds(other);
            if (fast != null) {
                assertThat(fast).as(other).isEqualTo(Instant.parse(other));
            } else {
                assertThat(other).as("left to the general path").isNotEqualTo("2024-02-29T12:00:00Z");
            }
        }
        assertThat(MailPageParser.utcSeconds("2024-02-29T12:00:00Z")).isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
        assertThat(malformed(page(nextLink(), message("m", "2026-02-30T00:00:00Z", "f")), Kind.DELTA))
                .hasMessage("value[0].receivedDateTime is not an ISO-8601 date and time");
    }

    @Test
    void aListPageHasANextLinkOrNoneAndNoRemovals() throws Exception {
        String next = "https://graph.microsoft.com/v1.0/users/5a1b/mailFolders/inbox/messages?%24filter=x&%24top=2"
                + "&%24skip=2";
        Page more = MailPageParser.page(bytes("{\"@odata.context\":\"c\",\"value\":["
                + message("a", "2026-01-05T08:00:00Z", "f") + "," + message("b", "2026-01-04T08:00:00Z", "f")
                + "],\"@odata.nextLink\":\"" + next + "\"}"), Kind.LIST);
        assertThat(more.messages()).extracting(MailMessage::id).containsExactly("a", "b");
        assertThat(more.nextLink()).isEqualTo(next);
        Page last = MailPageParser.page(bytes("{\"value\":[" + message("c", "2026-01-03T08:00:00Z", "f") + "]}"),
                Kind.LIST);
        assertThat(last.nextLink()).isNull();
        assertThat(last.messages()).hasSize(1);
    }

    @Test
    void folderItemCount() throws Exception {
        assertThat(MailPageParser.totalItemCount(bytes("{\"@odata.context\":\"c\",\"id\":\"AQMk\","
                + "\"totalItemCount\":6712}"))).isEqualTo(6712);
        assertThat(MailPageParser.totalItemCount(bytes("{\"totalItemCount\":0}"))).isZero();
        for (String bad : List.of("{\"id\":\"x\"}", "{\"totalItemCount\":\"5\"}", "{\"totalItemCount\":-1}",
                "{\"totalItemCount\":1.5}", "{\"totalItemCount\":5", "[5]", "{\"totalItemCount\":5} x")) {
            assertThatThrownBy(() -> MailPageParser.totalItemCount(bytes(bad))).as(bad)
                    .isInstanceOf(PageFormatException.class);
        }
    }

    // ---- what makes a page unusable --------------------------------------------------------------------------------

    /** Cut anywhere, a page never parses into a partial page. */
    @Test
    void aPageTruncatedAtAnyByteIsMalformed() throws Exception {
        byte[] whole = bytes(page(nextLink(), FULL_MESSAGE, message("m2", "2026-01-05T08:00:00Z", "f"),
                "{\"id\":\"gone\",\"@removed\":{\"reason\":\"deleted\"}}"));
        assertThat(MailPageParser.page(whole, Kind.DELTA).messages()).hasSize(2);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            int at = cut;
            assertThatThrownBy(() -> MailPageParser.page(part, Kind.DELTA)).as("cut at %d", at)
                    .isInstanceOf(PageFormatException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":42,\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"receivedDateTime\":1736064000,\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"yesterday\",\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":[\"f\"]}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"isRead\":\"false\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"hasAttachments\":1}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"categories\":\"x\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"categories\":[1]}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"toRecipients\":{}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"toRecipients\":[\"a@b\"]}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"toRecipients\":[null]}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"from\":\"a@b\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"from\":{\"emailAddress\":\"a@b\"}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"from\":{\"emailAddress\":{\"address\":7}}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"body\":\"<p>\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"body\":{\"content\":\"x\"}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"body\":{\"contentType\":\"rtf\",\"content\":\"x\"}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"subject\":{\"text\":\"x\"}}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\",\"@removed\":\"deleted\"}",
            "{\"id\":\"m\",\"id\":\"n\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\"}",
            "{\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\"}",
            "{\"id\":\"\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"receivedDateTime\":null,\"parentFolderId\":\"f\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\"}",
            "{\"id\":\"m\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"\"}",
            "{\"@removed\":{\"reason\":\"deleted\"}}",
            "\"m1\"",
            "null",
    })
    void anItemWithAWrongTypeOrWithoutARequiredFieldFailsThePage(String item) {
        String json = page(nextLink(), message("fine", "2026-01-05T08:00:00Z", "f"), item);
        assertThat(malformed(json, Kind.DELTA)).as(item).isNotNull().hasMessageContaining("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"value\":[]}",
            "{\"@odata.nextLink\":\"%1$s\",\"@odata.deltaLink\":\"%2$s\",\"value\":[]}",
            "{\"@odata.nextLink\":\"\",\"value\":[]}",
            "{\"@odata.nextLink\":42,\"value\":[]}",
            "{\"@odata.nextLink\":null,\"value\":[]}",
            "{\"@odata.deltaLink\":\"%2$s\"}",
            "{\"@odata.deltaLink\":\"%2$s\",\"value\":{}}",
            "{\"@odata.deltaLink\":\"%2$s\",\"value\":null}",
            "{\"@odata.deltaLink\":\"%2$s\",\"value\":[]} {}",
            "{\"@odata.deltaLink\":\"%2$s\",\"value\":[]}]",
            "{\"@odata.deltaLink\":\"%2$s\",\"@odata.deltaLink\":\"%2$s\",\"value\":[]}",
            "{\"error\":{\"code\":\"UnknownError\",\"message\":\"\"},\"@odata.deltaLink\":\"%2$s\",\"value\":[]}",
            "[]",
            "\"page\"",
            "",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
    })
    void aPageWithoutExactlyOneLinkOrNotAPageIsMalformed(String template) {
        assertThat(malformed(template.formatted(NEXT, DELTA), Kind.DELTA)).as(template).isNotNull();
    }

    @Test
    void aListPageWithADeltaLinkOrARemovalIsMalformed() {
        assertThat(malformed("{\"value\":[]," + deltaLink() + "}", Kind.LIST))
                .hasMessage("a message list carries a delta link");
        assertThat(malformed("{\"value\":[{\"id\":\"x\",\"@removed\":{\"reason\":\"deleted\"}}]}", Kind.LIST))
                .hasMessage("value[0] is a removal in a message list");
    }

    @Test
    void messagesNameThePlaceNeverTheContent() {
        String secret = "SECRET-SUBJECT-7f3a";
        List<String> pages = List.of(
                page(nextLink(), "{\"id\":\"m\",\"subject\":" + secret + "}"),
                page(nextLink(), "{\"id\":\"m\",\"subject\":\"" + secret),
                page(nextLink(), "{\"id\":\"" + secret + "\",\"subject\":\"" + secret + "\",\"isRead\":\"" + secret
                        + "\",\"receivedDateTime\":\"2026-01-05T08:00:00Z\",\"parentFolderId\":\"f\"}"),
                page(nextLink(), "{\"id\":\"m\",\"receivedDateTime\":\"" + secret + "\",\"parentFolderId\":\"f\"}"),
                "{\"@odata.nextLink\":\"" + NEXT + "\",\"value\":[]}" + secret);
        for (String json : pages) {
            PageFormatException e = malformed(json, Kind.DELTA);
            assertThat(e).as(json).isNotNull();
            assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("skiptoken").doesNotContain("Gwc");
            assertThat(e.getCause()).isNull();
        }
    }
}
