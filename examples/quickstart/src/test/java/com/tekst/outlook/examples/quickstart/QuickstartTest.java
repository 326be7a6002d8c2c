package com.tekst.outlook.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    @Test
    void theWalkThroughVerifiesTheConnectionAndExitsZero() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = Quickstart.run(out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        assertThat(printed).contains("2. consent:  admin@contoso.onmicrosoft.com pressed Accept");
        assertThat(printed)
                .contains("3. complete: Microsoft reports admin consent for tenant ")
                .contains("4. verify:   VERIFIED: Admin consent verified")
                .contains("5. stored:   Connection[id=contoso-outlook, type=ORGANIZATION_WIDE, tenant=")
                .contains("status=CONNECTED")
                .contains("OK: connection contoso-outlook is verified and CONNECTED to tenant ")
                .doesNotContain("state=v1.");
    }

    @Test
    void aNonAdministratorLeavesTheConnectionUnverifiedAndExitsNonZero() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = Quickstart.run(out, "alice@contoso.onmicrosoft.com");
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isEqualTo(1);
        assertThat(printed).contains("3. complete: Admin consent is missing: the account that signed in is not an"
                + " administrator").contains("(AADSTS90094)").contains("FAILED").doesNotContain("OK: connection");
    }
}
