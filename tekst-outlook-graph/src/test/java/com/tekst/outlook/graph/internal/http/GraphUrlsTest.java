package com.tekst.outlook.graph.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.InvalidValueException;
import java.net.URI;
import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A value the SDK puts into a Graph URL stays one path segment or one query value, whatever it contains. */
class GraphUrlsTest {
    final GraphUrls urls = new GraphUrls(URI.create("https://graph.example/v1.0"));

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a?$top=1", "a#frag", "a%2Fb", "a%252F", "ü✓", "a b", "a;b=c", "..a", "a..",
            "users('x')", "a\\b", "%2e%2e%2f"})
    void aHostileValueStaysInsideItsSegment(String value) {
        HttpUrl url = urls.user(value, "mailFolders", value, "childFolders").build();

        assertThat(url.pathSegments()).containsExactly("v1.0", "users", value, "mailFolders", value, "childFolders");
        assertThat(url.query()).isNull();
        assertThat(url.fragment()).isNull();
        assertThat(url.host()).isEqualTo("graph.example");
        assertThat(HttpUrl.get(url.toString()).pathSegments()).as("it survives a round trip through text")
                .containsExactly("v1.0", "users", value, "mailFolders", value, "childFolders");
    }

    @Test
    void aTenKilobyteValueStaysOneSegment() {
        String huge = "x/".repeat(5_000);

        HttpUrl url = urls.user("id", "mailFolders", huge).build();

        assertThat(url.pathSegments()).hasSize(5).last().isEqualTo(huge);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "", "%2e%2e", "%2E", ".%2e"})
    void aDotSegmentOrAnEmptyValueIsRefused(String value) {
        assertThatThrownBy(() -> urls.user("id", "mailFolders", value)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> urls.user(value)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aQueryValueCannotAddParametersAndODataLiteralsDoubleTheirQuotes() {
        HttpUrl url = GraphUrls.option(urls.path("users"), "$filter",
                "startswith(displayName," + GraphUrls.literal("o'x&$top=1#y") + ")").build();

        assertThat(url.queryParameterNames()).containsExactly("$filter");
        assertThat(url.encodedQuery()).startsWith("$filter=");
        assertThat(url.queryParameter("$filter")).isEqualTo("startswith(displayName,'o''x&$top=1#y')");
        assertThat(url.fragment()).isNull();
    }

    @Test
    void relativeUrlsForABatchKeepTheEncoding() {
        HttpUrl url = GraphUrls.option(urls.user("a/b", "mailboxSettings", "userPurpose"), "$select", "id").build();

        assertThat(urls.relative(url)).isEqualTo("/users/a%2Fb/mailboxSettings/userPurpose?$select=id");
    }
}
