package com.tekst.outlook.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentCallbackTest {

    @Test
    void parsesASuccessRedirect() {
        ConsentCallback cb = ConsentCallback.fromQueryString(
                "?admin_consent=True&tenant=a8990e1f-ff32-408a-9f8e-78d3b9139b95&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&state=abc.def");
        assertThat(cb.defect()).isEqualTo(ConsentCallback.Defect.NONE);
        assertThat(cb.first("scope")).hasValue("https://graph.microsoft.com/.default");
        assertThat(cb.first("admin_consent")).hasValue("True");
        assertThat(cb.isDuplicated("state")).isFalse();
    }

    @Test
    void decodesPlusAsSpaceAndKeepsDuplicates() {
        ConsentCallback cb = ConsentCallback.fromQueryString(
                "error=access_denied&error_description=AADSTS65004%3a+User+declined&state=a&state=b");
        assertThat(cb.first("error_description")).hasValue("AADSTS65004: User declined");
        assertThat(cb.isDuplicated("state")).isTrue();
        assertThat(cb.parameters().get("state")).containsExactly("a", "b");
    }

    @Test
    void flagsOversizedAndMalformedInputWithoutThrowing() {
        assertThat(ConsentCallback.fromQueryString("state=" + "x".repeat(9000)).defect())
                .isEqualTo(ConsentCallback.Defect.OVERSIZED);
        assertThat(ConsentCallback.fromQueryString("state=%E0%A4%A").defect())
                .isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromQueryString("state=%C3%28").defect())
                .as("invalid UTF-8 sequence").isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromQueryString("state=%FF%FE").defect())
                .isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromQueryString("state=\u00e9").defect())
                .as("raw non-ASCII").isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromQueryString("state=%00").defect())
                .as("NUL").isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromQueryString(null).parameters()).isEmpty();
    }

    @Test
    void frameworkDecodedParametersAreCheckedToo() {
        assertThat(ConsentCallback.fromParameters(Map.of("state", List.of("ab\uFFFDc"))).defect())
                .isEqualTo(ConsentCallback.Defect.MALFORMED_ENCODING);
        assertThat(ConsentCallback.fromSingleValues(Map.of("state", "x".repeat(9000))).defect())
                .isEqualTo(ConsentCallback.Defect.OVERSIZED);
        assertThat(ConsentCallback.fromSingleValues(Map.of("tenant", "t", "state", "s")).first("tenant")).hasValue("t");
    }

    @Test
    void toStringNeverShowsValues() {
        ConsentCallback cb = ConsentCallback.fromQueryString("state=SECRET-STATE&tenant=t");
        assertThat(cb.toString()).doesNotContain("SECRET-STATE").contains("state");
    }
}
