package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension starts, injects and stops clouds, per class or per test. */
class FakeCloudExtensionTest {
    static final List<FakeMicrosoftCloud> SEEN = new ArrayList<>();

    @AfterAll
    static void everyCloudWasStopped() {
        assertThat(SEEN).isNotEmpty();
        for (FakeMicrosoftCloud c : SEEN) {
            assertThat(c.port()).isPositive();
            GraphHttp http = new GraphHttp(c, c.tenants().get(0));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.get("/users")))
                    .as("stopped: " + c).isNotNull();
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @ExtendWith(FakeCloudExtension.class)
    class WithTheDefaultCloud {
        @Test
        @Order(1)
        void injectsTheCloudTheDefaultTenantAndItsClock(FakeMicrosoftCloud cloud, FakeTenant tenant, FakeClock clock,
                                                        RequestJournal journal, Faults faults) {
            SEEN.add(cloud);
            assertThat(tenant.name()).isEqualTo("contoso");
            assertThat(tenant.mailboxes()).hasSize(4);
            assertThat(tenant.administrator()).map(FakeUser::userPrincipalName)
                    .contains(FakeCloudExtension.DEFAULT_ADMINISTRATOR);
            URI consent = URI.create(cloud.loginBaseUrl() + "/organizations/v2.0/adminconsent?client_id="
                    + cloud.clientId() + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
                    + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&state=s1");
            URI back = cloud.adminConsent(consent, FakeCloudExtension.DEFAULT_ADMINISTRATOR, true);
            assertThat(back.getRawQuery()).as("the default administrator may consent").contains("admin_consent=True")
                    .doesNotContain("error");
            assertThat(clock).isSameAs(cloud.clock());
            assertThat(journal).isSameAs(cloud.journal());
            assertThat(faults).isSameAs(cloud.faults());
            assertThat(new GraphHttp(cloud, tenant).get("/users").status()).isEqualTo(200);
            clock.advance(Duration.ofHours(1));
        }

        @Test
        @Order(2)
        void keepsOneCloudForTheClass(FakeMicrosoftCloud cloud) {
            assertThat(cloud).isSameAs(SEEN.get(SEEN.size() - 1));
            assertThat(cloud.clock().instant()).isEqualTo(FakeClock.DEFAULT_START.plus(Duration.ofHours(1)));
        }
    }

    @Nested
    class WithAnInstanceField {
        @RegisterExtension
        final FakeCloudExtension fake = FakeCloudExtension.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted().user("alice@contoso.onmicrosoft.com"))
                .tenant(FakeTenant.builder("fabrikam").user("frank@fabrikam.onmicrosoft.com"))
                .configure(b -> b.mailboxThrottling(MailboxThrottling.unlimited()))
                .build();

        @Test
        void startsAFreshCloudForEveryTest(FakeMicrosoftCloud cloud,
                                           @FakeCloudExtension.Tenant("fabrikam") FakeTenant fabrikam) {
            SEEN.add(cloud);
            assertThat(fake.cloud()).isSameAs(cloud);
            assertThat(fabrikam.name()).isEqualTo("fabrikam");
            assertThat(fake.tenant().name()).isEqualTo("contoso");
            assertThat(cloud.mailboxThrottling()).isEqualTo(MailboxThrottling.unlimited());
        }

        @Test
        void anotherTestAnotherCloud(FakeMicrosoftCloud cloud) {
            SEEN.add(cloud);
            assertThat(SEEN.stream().filter(c -> c == cloud)).hasSize(1);
        }
    }

    @Nested
    class WithAStaticField {
        @RegisterExtension
        static final FakeCloudExtension FAKE = FakeCloudExtension.builder()
                .seed(5)
                .tenant(FakeTenant.builder("contoso").consentGranted().user("alice@contoso.onmicrosoft.com"))
                .build();
        static FakeMicrosoftCloud started;

        @BeforeAll
        static void lifecycleMethodsGetTheCloudToo(FakeMicrosoftCloud cloud) {
            started = cloud;
            SEEN.add(cloud);
        }

        @Test
        void sharesTheClassCloud(FakeMicrosoftCloud cloud) {
            assertThat(cloud).isSameAs(started).isSameAs(FAKE.cloud());
            assertThat(cloud.seed()).isEqualTo(5);
        }
    }
}
