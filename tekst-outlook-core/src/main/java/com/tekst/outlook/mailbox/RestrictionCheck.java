package com.tekst.outlook.mailbox;

import com.tekst.outlook.InvalidValueException;
import com.tekst.outlook.MailboxAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to verify a tenant's restriction: which out-of-scope mailboxes to probe as canaries, and which mechanism the
 * administrator applied (when known, the verification explains more).
 *
 * <br>{@code mechanism}: the mechanism applied, or {@code null} when not known
 * <br>{@code canaries}: mailboxes outside the scope to probe; when empty, the SDK picks {@code canaryCount} from the
 *                    tenant's directory (accounts with a mailbox, outside the scope, in directory order)
 * <br>{@code canaryCount}: how many canaries to pick when none are given, 1 to {@value #MAX_CANARIES}
 */
public final class RestrictionCheck {
    private final RestrictionMechanism mechanism;
    private final List<MailboxAddress> canaries;
    private final int canaryCount;

    public static final int DEFAULT_CANARY_COUNT = 2;
    public static final int MAX_CANARIES = 20;

    public RestrictionCheck(RestrictionMechanism mechanism, List<MailboxAddress> canaries, int canaryCount) {
        canaries = List.copyOf(Objects.requireNonNull(canaries, "canaries"));
        if (canaries.size() > MAX_CANARIES) {
            throw new InvalidValueException("canaries", "at most " + MAX_CANARIES + " mailboxes");
        }
        if (canaryCount < 1 || canaryCount > MAX_CANARIES) {
            throw new InvalidValueException("canary count", "must be between 1 and " + MAX_CANARIES,
                    Integer.toString(canaryCount));
        }
        this.mechanism = mechanism;
        this.canaries = canaries;
        this.canaryCount = canaryCount;
    }

    public Optional<RestrictionMechanism> mechanism() {
        return Optional.ofNullable(mechanism);
    }

    public List<MailboxAddress> canaries() {
        return canaries;
    }

    public int canaryCount() {
        return canaryCount;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RestrictionCheck o && Objects.equals(mechanism, o.mechanism) && Objects.equals(canaries, o.canaries) && Objects.equals(canaryCount, o.canaryCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, canaries, canaryCount);
    }

    @Override
    public String toString() {
        return "RestrictionCheck[" + "mechanism=" + mechanism + ", " + "canaries=" + canaries + ", " + "canaryCount=" + canaryCount + "]";
    }

    /** Canaries picked from the directory; mechanism unknown. */
    public static RestrictionCheck automatic() {
        return new RestrictionCheck(null, List.of(), DEFAULT_CANARY_COUNT);
    }

    /** These canaries; mechanism unknown. */
    public static RestrictionCheck withCanaries(MailboxAddress... canaries) {
        return new RestrictionCheck(null, List.of(canaries), DEFAULT_CANARY_COUNT);
    }

    /** This check for the mechanism the administrator applied. */
    public RestrictionCheck forMechanism(RestrictionMechanism applied) {
        return new RestrictionCheck(Objects.requireNonNull(applied, "applied"), canaries, canaryCount);
    }

}
