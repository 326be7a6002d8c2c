package com.tekst.outlook.graph.internal.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.tekst.outlook.ConnectionId;
import com.tekst.outlook.MailAccess;
import com.tekst.outlook.MailboxAccessException;
import com.tekst.outlook.MailboxAddress;
import com.tekst.outlook.MailboxId;
import com.tekst.outlook.OutlookClientException;
import com.tekst.outlook.OutlookException;
import com.tekst.outlook.TenantId;
import com.tekst.outlook.graph.internal.Mdc;
import com.tekst.outlook.graph.internal.http.GraphCall;
import com.tekst.outlook.graph.internal.http.GraphUrls;
import com.tekst.outlook.graph.internal.restriction.RestrictionScripts;
import com.tekst.outlook.graph.internal.scope.GuardTicket;
import com.tekst.outlook.mailbox.AppliedRestriction;
import com.tekst.outlook.mailbox.MailboxProbe;
import com.tekst.outlook.mailbox.RestrictionCheck;
import com.tekst.outlook.mailbox.RestrictionMechanism;
import com.tekst.outlook.mailbox.RestrictionScript;
import com.tekst.outlook.mailbox.RestrictionScriptRequest;
import com.tekst.outlook.mailbox.RestrictionVerification;
import com.tekst.outlook.mailbox.ScopeMode;
import com.tekst.outlook.store.MailboxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link com.tekst.outlook.mailbox.TenantRestriction}: the PowerShell from {@link RestrictionScripts}, and the
 * verification by probing. A probe is {@code GET /users/{id}/mailFolders/inbox?$select=id}: one folder id, no message
 * content, blocked by an application access policy and by an RBAC scope alike (both govern the mail permissions, the
 * ones sync uses). Canaries outside the scope pass the scope guard on a {@link GuardTicket} made for this call only.
 * Thread-safe. Internal.
 */
public final class GraphTenantRestriction implements com.tekst.outlook.mailbox.TenantRestriction {
    /** Re-check a result that is not {@code ENFORCED} after the shortest propagation time. */
    public static final Duration RECHECK_SOON = Duration.ofMinutes(30);
    /** Re-check an {@code ENFORCED} result once the longest propagation time has passed. */
    public static final Duration RECHECK_LATE = Duration.ofHours(2);
    /** The most directory entries looked at when picking canaries. */
    static final int CANARY_CANDIDATES = 50;
    static final Set<String> TENANT_WIDE_MAIL = Set.of("Mail.Read", "Mail.ReadBasic.All", "Mail.ReadBasic",
            "Mail.ReadWrite");

    private static final Logger log = LoggerFactory.getLogger(GraphTenantRestriction.class);

    private final MailboxGraph graph;
    private final GraphMailboxDirectory directory;

    public GraphTenantRestriction(MailboxGraph graph, GraphMailboxDirectory directory) {
        this.graph = graph;
        this.directory = directory;
    }

    @Override
    public RestrictionScript script(ConnectionId connection, RestrictionScriptRequest request) {
        Objects.requireNonNull(request, "request");
        graph.target(connection);
        requireRestricted(connection);
        List<MailboxRecord> mailboxes = graph.store.listMailboxes(connection);
        if (mailboxes.isEmpty()) {
            throw new OutlookClientException("Connection " + connection + " has no mailboxes to restrict to");
        }
        if (!graph.store.findMailboxesByName(connection, request.outOfScopeExample()).isEmpty()) {
            throw new OutlookClientException("The out-of-scope example " + request.outOfScopeExample()
                    + " is a mailbox of connection " + connection);
        }
        return RestrictionScripts.generate(graph.clientId, connection,
                mailboxes.stream().map(MailboxRecord::address).toList(), request,
                graph.store.findConnection(connection).orElseThrow().permissions().profile());
    }

    @Override
    public RestrictionVerification verify(ConnectionId connection, RestrictionCheck check) {
        return verify(connection, check, Set.of());
    }

    @Override
    public AppliedRestriction recordApplied(ConnectionId connection, RestrictionMechanism mechanism) {
        Objects.requireNonNull(mechanism, "mechanism");
        graph.target(connection);
        requireRestricted(connection);
        AppliedRestriction applied = new AppliedRestriction(mechanism, graph.clock.instant());
        graph.store.saveAppliedRestriction(connection, applied);
        log.info("restriction of connection {} recorded as applied ({}); Exchange enforces it by {}", connection,
                mechanism, applied.enforcedBy());
        return applied;
    }

    @Override
    public Optional<AppliedRestriction> applied(ConnectionId connection) {
        Objects.requireNonNull(connection, "connection");
        return graph.store.findAppliedRestriction(connection);
    }

    /**
     * The mechanism a check is judged by: the one it names, else the one recorded as applied, else RBAC for
     * Applications when the connection's mailbox permissions come from it.
     */
    private RestrictionCheck withMechanism(ConnectionId connection, MailboxGraph.Target t, RestrictionCheck check) {
        if (check.mechanism().isPresent()) {
            return check;
        }
        Optional<AppliedRestriction> applied = graph.store.findAppliedRestriction(connection);
        if (applied.isPresent()) {
            return check.forMechanism(applied.get().mechanism());
        }
        return t.mailAccess() == MailAccess.EXCHANGE_RBAC
                ? check.forMechanism(RestrictionMechanism.RBAC_FOR_APPLICATIONS) : check;
    }

    /**
     * {@link #verify(ConnectionId, RestrictionCheck)} without probing the in-scope mailboxes of {@code skipped}
     * (object ids), e.g. mailboxes that are throttled: their verdict rests on the other mailboxes and the canaries.
     */
    public RestrictionVerification verify(ConnectionId connection, RestrictionCheck check, Set<MailboxId> skipped) {
        Objects.requireNonNull(skipped, "skipped");
        MailboxGraph.Target t = graph.target(connection);
        requireRestricted(connection);
        check = withMechanism(connection, t, Objects.requireNonNull(check, "check"));
        try (Mdc.Scope ignored = Mdc.put(Mdc.TENANT, t.tenant().value(), Mdc.CONNECTION, connection.value())) {
            List<MailboxRecord> inScope = graph.store.listMailboxes(connection);
            Set<String> scopeIds = new HashSet<>();
            inScope.forEach(m -> scopeIds.add(m.mailboxId().value()));
            for (MailboxAddress canary : check.canaries()) {
                boolean listed = canary.isObjectId() ? scopeIds.contains(canary.value())
                        : !graph.store.findMailboxesByName(connection, canary).isEmpty();
                if (listed) {
                    throw new OutlookClientException("Canary " + canary + " is a mailbox of connection " + connection
                            + "; a canary must be outside the scope");
                }
            }
            if (inScope.isEmpty()) {
                Instant now = graph.clock.instant();
                return new RestrictionVerification(RestrictionVerification.Verdict.INCONCLUSIVE, List.of(),
                        List.of(RestrictionVerification.Finding.NO_MAILBOX_IN_SCOPE), now, now.plus(RECHECK_SOON),
                        RestrictionVerification.PROPAGATION_NOTE);
            }
            GuardTicket ticket = graph.guards.ticket(GuardTicket.Purpose.RESTRICTION_PROBE);
            List<MailboxProbe> probes = new ArrayList<>();
            for (MailboxRecord m : inScope) {
                if (!skipped.contains(m.mailboxId())) {
                    probes.add(probe(t, m.mailboxId().value(), m.address(), true, ticket));
                }
            }
            probes.addAll(check.canaries().isEmpty() ? pickCanaries(t, scopeIds, check.canaryCount(), ticket)
                    : givenCanaries(t, check.canaries(), scopeIds, ticket));
            RestrictionVerification result = judge(t.tenant(), check, probes,
                    graph.store.findAppliedRestriction(connection).orElse(null));
            log.info("restriction of connection {}: {} ({} in scope, {} canaries)", connection, result.verdict(),
                    result.inScope().size(), result.canaries().size());
            return result;
        }
    }

    /** One content-free probe (the Inbox's id) of each mailbox, in scope; no verdict. */
    public List<MailboxProbe> probe(ConnectionId connection, List<MailboxRecord> mailboxes) {
        MailboxGraph.Target t = graph.target(connection);
        GuardTicket ticket = graph.guards.ticket(GuardTicket.Purpose.RESTRICTION_PROBE);
        List<MailboxProbe> out = new ArrayList<>();
        for (MailboxRecord m : mailboxes) {
            out.add(probe(t, m.mailboxId().value(), m.address(), true, ticket));
        }
        return out;
    }

    private void requireRestricted(ConnectionId connection) {
        if (graph.store.findScopeMode(connection) == ScopeMode.ALL_MAILBOXES) {
            throw new OutlookClientException("Connection " + connection + " may reach every mailbox"
                    + " (ALL_MAILBOXES): there is no scope to restrict the tenant to");
        }
    }

    private List<MailboxProbe> givenCanaries(MailboxGraph.Target t, List<MailboxAddress> canaries,
                                             Set<String> scopeIds, GuardTicket ticket) {
        List<MailboxProbe> out = new ArrayList<>();
        for (MailboxAddress canary : canaries) {
            JsonNode user = directory.lookup(t, canary);
            String id = user.path("id").asText().toLowerCase(Locale.ROOT);
            if (scopeIds.contains(id)) {
                throw new OutlookClientException("Canary " + canary + " is a mailbox of the connection's scope");
            }
            MailboxAddress address = MailboxGraph.address(user.get("mail"));
            out.add(probe(t, id, address != null ? address : canary, false, ticket));
        }
        return out;
    }

    /** Accounts with an address, outside the scope, in directory order, until {@code count} give an answer. */
    private List<MailboxProbe> pickCanaries(MailboxGraph.Target t, Set<String> scopeIds, int count,
                                            GuardTicket ticket) {
        List<MailboxProbe> out = new ArrayList<>();
        int answered = 0;
        for (JsonNode user : directory.accounts(t, CANARY_CANDIDATES)) {
            String id = user.path("id").asText("").toLowerCase(Locale.ROOT);
            MailboxAddress address = MailboxGraph.address(user.get("mail"));
            if (!TenantId.isValid(id) || address == null || scopeIds.contains(id)) {
                continue;
            }
            MailboxProbe probe = probe(t, id, address, false, ticket);
            if (probe.outcome() == MailboxProbe.Outcome.NOT_ENABLED
                    || probe.outcome() == MailboxProbe.Outcome.NOT_FOUND) {
                continue; // no mailbox: tells nothing about the restriction
            }
            out.add(probe);
            if (probe.outcome() != MailboxProbe.Outcome.FAILED && ++answered >= count) {
                break;
            }
        }
        return out;
    }

    private MailboxProbe probe(MailboxGraph.Target t, String objectId, MailboxAddress address, boolean inScope,
                               GuardTicket ticket) {
        HttpUrl.Builder url = graph.urls.user(objectId, "mailFolders", "inbox");
        GraphUrls.option(url, "$select", "id");
        GraphCall call = t.call().withMailbox(objectId, address);
        try {
            graph.get(t, url.build(), call, ticket);
            return new MailboxProbe(MailboxId.of(objectId), address, inScope, MailboxProbe.Outcome.READABLE, null, null);
        } catch (OutlookException e) {
            MailboxProbe.Outcome outcome;
            if (e.details().httpStatus().orElse(0) == 403) {
                outcome = MailboxProbe.Outcome.DENIED;
            } else if (e instanceof MailboxAccessException m && m.reason() == MailboxAccessException.Reason.NOT_ENABLED) {
                outcome = MailboxProbe.Outcome.NOT_ENABLED;
            } else if (e instanceof MailboxAccessException m && m.reason() == MailboxAccessException.Reason.NOT_FOUND) {
                outcome = MailboxProbe.Outcome.NOT_FOUND;
            } else if (e instanceof com.tekst.outlook.MailboxOutOfScopeException) {
                throw e; // the SDK's own refusal is a bug here, not a tenant answer
            } else if (e instanceof com.tekst.outlook.ConsentException || e instanceof com.tekst.outlook.CredentialException
                    || e instanceof com.tekst.outlook.TenantException) {
                throw e; // no token: nothing can be probed
            } else {
                outcome = MailboxProbe.Outcome.FAILED;
            }
            return new MailboxProbe(MailboxId.of(objectId), address, inScope, outcome, e.details().errorCode().orElse(null),
                    e.details().requestId().orElse(null));
        }
    }

    private RestrictionVerification judge(TenantId tenant, RestrictionCheck check, List<MailboxProbe> probes,
                                          AppliedRestriction applied) {
        List<RestrictionVerification.Finding> findings = new ArrayList<>();
        List<MailboxProbe> in = probes.stream().filter(MailboxProbe::inScope).toList();
        List<MailboxProbe> canaries = probes.stream().filter(p -> !p.inScope()).toList();
        boolean inDenied = in.stream().anyMatch(p -> p.outcome() == MailboxProbe.Outcome.DENIED);
        boolean inReadable = in.stream().anyMatch(p -> p.outcome() == MailboxProbe.Outcome.READABLE);
        boolean canaryReadable = canaries.stream().anyMatch(p -> p.outcome() == MailboxProbe.Outcome.READABLE);
        boolean canaryDenied = canaries.stream().anyMatch(p -> p.outcome() == MailboxProbe.Outcome.DENIED);
        boolean failed = probes.stream().anyMatch(p -> p.outcome() == MailboxProbe.Outcome.FAILED);
        if (!canaryReadable && !canaryDenied) {
            findings.add(RestrictionVerification.Finding.NO_CANARY);
        }
        if (failed) {
            findings.add(RestrictionVerification.Finding.PROBE_FAILED);
        }
        RestrictionVerification.Verdict verdict;
        if (inDenied) {
            verdict = RestrictionVerification.Verdict.MISCONFIGURED;
        } else if (canaryReadable) {
            verdict = RestrictionVerification.Verdict.NOT_ENFORCED;
        } else if (inReadable && canaryDenied && !failed
                && in.stream().allMatch(p -> p.outcome() != MailboxProbe.Outcome.FAILED)) {
            verdict = RestrictionVerification.Verdict.ENFORCED;
        } else {
            verdict = RestrictionVerification.Verdict.INCONCLUSIVE;
        }
        if (check.mechanism().orElse(null) == RestrictionMechanism.RBAC_FOR_APPLICATIONS
                && graph.roles(tenant).stream().anyMatch(TENANT_WIDE_MAIL::contains)) {
            findings.add(0, RestrictionVerification.Finding.TENANT_WIDE_MAIL_PERMISSION);
        }
        Instant now = graph.clock.instant();
        Instant recheck = now.plus(verdict == RestrictionVerification.Verdict.ENFORCED ? RECHECK_LATE : RECHECK_SOON);
        if (verdict != RestrictionVerification.Verdict.ENFORCED && applied != null && applied.isPropagating(now)) {
            findings.add(RestrictionVerification.Finding.PROPAGATING);
            if (recheck.isBefore(applied.enforcedBy())) {
                recheck = applied.enforcedBy();
            }
        }
        return new RestrictionVerification(verdict, probes, findings, now, recheck,
                RestrictionVerification.PROPAGATION_NOTE);
    }
}
