package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory's {@code proxyAddresses/any(x:x eq 'smtp:…')} filter, which resolves an alias to its account: as in
 * Entra ID, the comparison ignores case and the {@code SMTP:}/{@code smtp:} prefix case, and a collection is only
 * filtered through {@code any}.
 */
class DirectoryFilterTest {
    static FakeMicrosoftCloud cloud;
    static FakeTenant contoso;
    static GraphHttp http;

    @BeforeAll
    static void start() {
        cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .user(FakeUser.builder("alice@contoso.onmicrosoft.com").mail("alice.smith@contoso.com")
                                .alias("alice@contoso.com").alias("a.smith@contoso.com"))
                        .user(FakeUser.builder("bob@contoso.onmicrosoft.com").alias("robert@contoso.com"))
                        .sharedMailbox("o'brien@contoso.com"))
                .start();
        contoso = cloud.tenant("contoso");
        http = new GraphHttp(cloud, contoso);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    static List<String> upns(String filter) {
        GraphHttp.Answer a = http.get("/users?$select=id,userPrincipalName&$filter=" + filter);
        assertThat(a.status()).as(filter + ": " + a.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode u : a.json().path("value")) {
            out.add(u.path("userPrincipalName").asText());
        }
        return out;
    }

    @Test
    void anAliasFindsItsAccountInAnyCase() {
        assertThat(upns("proxyAddresses/any(x:x eq 'smtp:alice@contoso.com')"))
                .containsExactly("alice@contoso.onmicrosoft.com");
        assertThat(upns("proxyAddresses/any(x:x eq 'SMTP:A.SMITH@Contoso.com')"))
                .containsExactly("alice@contoso.onmicrosoft.com");
        assertThat(upns("proxyAddresses/any(p: p eq 'smtp:alice.smith@contoso.com')"))
                .as("the primary address is a proxy address too").containsExactly("alice@contoso.onmicrosoft.com");
        assertThat(upns("proxyAddresses/any(x:x eq 'smtp:nobody@contoso.com')")).isEmpty();
    }

    @Test
    void anyCombinesWithOtherConditionsAndQuotesAreDoubled() {
        assertThat(upns("userPrincipalName eq 'robert@contoso.com' or mail eq 'robert@contoso.com'"
                + " or proxyAddresses/any(x:x eq 'smtp:robert@contoso.com')"))
                .containsExactly("bob@contoso.onmicrosoft.com");
        assertThat(upns("proxyAddresses/any(x:x eq 'smtp:o''brien@contoso.com')")).containsExactly("o'brien@contoso.com");
    }

    @Test
    void aCollectionIsFilteredOnlyThroughAnyAndOnlyWithEq() {
        for (String filter : List.of("proxyAddresses eq 'smtp:alice@contoso.com'",
                "startswith(proxyAddresses,'smtp:a')", "proxyAddresses/any(x:x ne 'smtp:alice@contoso.com')",
                "displayName/any(x:x eq 'Alice')")) {
            GraphHttp.Answer a = http.get("/users?$filter=" + filter);
            assertThat(a.status()).as(filter).isEqualTo(400);
            assertThat(a.errorCode()).as(filter).isEqualTo("Request_UnsupportedQuery");
        }
        GraphHttp.Answer malformed = http.get("/users?$filter=proxyAddresses/any(x:y eq 'smtp:a@contoso.com')");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("BadRequest");
    }
}
