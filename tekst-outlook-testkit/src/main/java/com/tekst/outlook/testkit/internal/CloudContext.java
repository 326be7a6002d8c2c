package com.tekst.outlook.testkit.internal;

import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import java.util.List;
import java.util.Optional;

/** What the fake's routes need from the cloud they serve. Internal. */
public interface CloudContext {
    FakeClock clock();

    /** The base URL, e.g. {@code https://localhost:PORT} (no trailing slash). */
    String baseUrl();

    List<FakeApp> apps();

    default Optional<FakeApp> app(String clientId) {
        return apps().stream().filter(a -> a.clientId().equalsIgnoreCase(clientId)).findFirst();
    }

    List<FakeTenant> tenants();

    /** A tenant by id or verified domain. */
    default Optional<FakeTenant> tenant(String idOrDomain) {
        return tenants().stream().filter(t -> t.isNamed(idOrDomain)).findFirst();
    }

    Faults faults();

    TokenService tokens();

    void record(JournalEntry entry);

    /** Deterministic service principal object id of an app in a tenant. */
    default String servicePrincipalId(FakeApp app, FakeTenant tenant) {
        return java.util.UUID.nameUUIDFromBytes(("sp:" + tenant.id().value() + ":" + app.clientId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
