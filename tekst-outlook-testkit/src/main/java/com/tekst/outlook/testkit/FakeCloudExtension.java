package com.tekst.outlook.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link FakeMicrosoftCloud} for a test class (or each test) and stops it after, and
 * injects it, its {@link FakeClock}, a {@link FakeTenant}, its {@link RequestJournal} or its {@link Faults} into test
 * and lifecycle method parameters.
 *
 * <pre>{@code
 * class MySyncTest {
 *     @RegisterExtension
 *     static final FakeCloudExtension fake = FakeCloudExtension.builder()
 *             .tenant(FakeTenant.builder("contoso").consentGranted()
 *                     .generate(TenantGenerator.builder(42).userMailboxes(2).messagesPerMailbox(20).build()))
 *             .build();
 *
 *     @Test
 *     void syncs(FakeMicrosoftCloud cloud, FakeTenant contoso, FakeClock clock) { ... }
 * }
 * }</pre>
 *
 * <p>Registered on a {@code static} field, or with {@code @ExtendWith(FakeCloudExtension.class)}, the cloud lives for
 * the whole class; on an instance field, a fresh cloud starts for every test. With {@code @ExtendWith} the cloud has
 * one tenant, {@code contoso}, consented, with {@link TenantGenerator}'s defaults (seed {@value #DEFAULT_SEED}) and
 * the administrator {@value #DEFAULT_ADMINISTRATOR} (an unlicensed account without a mailbox, so the generated
 * mailboxes are as before): {@code cloud.adminConsent(url, FakeCloudExtension.DEFAULT_ADMINISTRATOR, true)}, or
 * {@code tenant.administrator()}.
 * A {@link FakeTenant} parameter gets the first tenant, or the one named by {@link Tenant @FakeCloudExtension.Tenant}.
 * Every start builds the cloud afresh from the builder (a new clock, new tenants), so tests never share state across
 * clouds.
 */
public final class FakeCloudExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    /** The generator seed of the default tenant. */
    public static final long DEFAULT_SEED = 42;

    /**
     * The administrator of the default tenant {@code contoso}, who may grant admin consent; an account without a
     * mailbox ({@code UNLICENSED}), so it is not among the tenant's mailboxes.
     */
    public static final String DEFAULT_ADMINISTRATOR = "admin@contoso.onmicrosoft.com";

    /** Picks the tenant a {@link FakeTenant} parameter gets, by name, id or domain. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Tenant {
        /** The tenant's name, id or verified domain. */
        String value();
    }

    private final Long seed;
    private final List<FakeTenant.Builder> tenants;
    private final List<Consumer<FakeMicrosoftCloud.Builder>> configurers;
    private volatile FakeMicrosoftCloud cloud;
    private volatile boolean perClass;

    /** The default extension, for {@code @ExtendWith}: one generated, consented tenant named {@code contoso}. */
    public FakeCloudExtension() {
        this(new Builder().tenant(FakeTenant.builder("contoso").consentGranted()
                .user(FakeUser.builder(DEFAULT_ADMINISTRATOR).administrator()
                        .withoutMailbox(FakeUser.NoMailboxReason.UNLICENSED))
                .generate(TenantGenerator.builder(DEFAULT_SEED).build())));
    }

    private FakeCloudExtension(Builder b) {
        this.seed = b.seed;
        this.tenants = List.copyOf(b.tenants);
        this.configurers = List.copyOf(b.configurers);
    }

    /** Starts configuring an extension; every cloud it starts is built afresh from this configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** The running cloud; {@link IllegalStateException} outside a test. */
    public FakeMicrosoftCloud cloud() {
        FakeMicrosoftCloud c = cloud;
        if (c == null) {
            throw new IllegalStateException("the fake cloud runs only while a test runs");
        }
        return c;
    }

    /** The running cloud's clock. */
    public FakeClock clock() {
        return cloud().clock();
    }

    /** The first tenant of the running cloud. */
    public FakeTenant tenant() {
        return cloud().tenants().get(0);
    }

    /** A tenant of the running cloud by name, id or domain. */
    public FakeTenant tenant(String name) {
        return cloud().tenant(name);
    }

    private FakeMicrosoftCloud startCloud() {
        FakeMicrosoftCloud.Builder b = FakeMicrosoftCloud.builder();
        if (seed != null) {
            b.seed(seed);
        }
        tenants.forEach(b::tenant);
        configurers.forEach(c -> c.accept(b));
        return b.start();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (cloud == null) {
            cloud = startCloud();
            perClass = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (cloud == null) {
            cloud = startCloud();
            perClass = false;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void stop() {
        FakeMicrosoftCloud c = cloud;
        cloud = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FakeMicrosoftCloud.class || type == FakeClock.class || type == FakeTenant.class
                || type == RequestJournal.class || type == Faults.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        FakeMicrosoftCloud c = cloud;
        if (c == null) {
            c = startCloud();
            cloud = c;
            perClass = false;
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == FakeMicrosoftCloud.class) {
            return c;
        }
        if (type == FakeClock.class) {
            return c.clock();
        }
        if (type == RequestJournal.class) {
            return c.journal();
        }
        if (type == Faults.class) {
            return c.faults();
        }
        Optional<Tenant> named = parameter.findAnnotation(Tenant.class);
        if (named.isPresent()) {
            try {
                return c.tenant(named.get().value());
            } catch (IllegalArgumentException e) {
                throw new ParameterResolutionException("no tenant named " + named.get().value() + " in " + c, e);
            }
        }
        if (c.tenants().isEmpty()) {
            throw new ParameterResolutionException("the fake cloud has no tenant to inject");
        }
        return c.tenants().get(0);
    }

    /** Builder for {@link FakeCloudExtension}. */
    public static final class Builder {
        private Long seed;
        private final List<FakeTenant.Builder> tenants = new ArrayList<>();
        private final List<Consumer<FakeMicrosoftCloud.Builder>> configurers = new ArrayList<>();

        private Builder() {
        }

        /** The cloud's seed (default {@link FakeMicrosoftCloud#DEFAULT_SEED}). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Adds a tenant (built afresh for every cloud the extension starts). */
        public Builder tenant(FakeTenant.Builder value) {
            this.tenants.add(Objects.requireNonNull(value));
            return this;
        }

        /** Anything else on the cloud's builder: throttling, token lifetimes, the app registration, a clock... */
        public Builder configure(Consumer<FakeMicrosoftCloud.Builder> value) {
            this.configurers.add(Objects.requireNonNull(value));
            return this;
        }

        /** Shorthand for {@code configure(b -> b.deltaTokenLifetime(lifetime))}. */
        public Builder deltaTokenLifetime(Duration lifetime) {
            return configure(b -> b.deltaTokenLifetime(lifetime));
        }

        /** The extension; register it with {@code @RegisterExtension}. */
        public FakeCloudExtension build() {
            return new FakeCloudExtension(this);
        }
    }
}
