package com.tekst.outlook.testkit.internal;

import com.tekst.outlook.testkit.FakeApp;
import com.tekst.outlook.testkit.FakeClock;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.Faults;
import com.tekst.outlook.testkit.JournalEntry;
import com.tekst.outlook.testkit.MailboxThrottling;
import com.tekst.outlook.testkit.internal.mail.TenantMail;
import java.time.Duration;
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

    /** The Exchange side (mailboxes) of a tenant. */
    TenantMail mail(FakeTenant tenant);

    /** The per-application, per-mailbox limits Graph enforces now. */
    MailboxThrottling mailboxThrottling();

    /** How long a delta or skip token stays valid (fake time), or {@code null} for as long as its sync state lives. */
    Duration deltaTokenLifetime();

    /** How many items of the previous delta page the next page repeats (Graph allows duplicates across pages). */
    int deltaPageOverlap();

    /** Which fraction of a delta page's items the next page of the round repeats (0: none). */
    double deltaPageOverlapFraction();

    /** At most how many messages the first round of a message delta with {@code $filter} returns. */
    int filteredDeltaLimit();

    /** Every how many pages of a delta round one is empty with a next link (0: never). */
    int emptyDeltaPageEvery();

    /** The chance that a delta page is empty with a next link, drawn from the seed (0: never). */
    double emptyDeltaPageProbability();

    /** Whether an expired message delta token's 410 carries a {@code Location} with an empty {@code $deltatoken}. */
    boolean syncResetLocation();

    /** Whether {@code Retry-After} is an HTTP date instead of seconds. */
    boolean retryAfterAsHttpDate();

    /** Whether {@code $batch} responses come back in a seeded shuffled order instead of request order. */
    boolean shuffleBatchResponses();

    /** The cloud's seed (for deterministic tokens). */
    long seed();

    /** Deterministic service principal object id of an app in a tenant. */
    default String servicePrincipalId(FakeApp app, FakeTenant tenant) {
        return java.util.UUID.nameUUIDFromBytes(("sp:" + tenant.id().value() + ":" + app.clientId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
