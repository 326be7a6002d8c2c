package com.tekst.outlook.testkit.internal.graph;

import com.tekst.outlook.TenantId;
import com.tekst.outlook.testkit.FakeTenant;
import com.tekst.outlook.testkit.internal.CloudContext;
import com.tekst.outlook.testkit.internal.Errors;
import com.tekst.outlook.testkit.internal.FakeRequest;
import com.tekst.outlook.testkit.internal.Reply;
import com.tekst.outlook.testkit.internal.TokenService;
import java.util.Optional;

/**
 * The Microsoft Graph side of the fake cloud ({@code /v1.0/...}). Authenticates every request with the fake's
 * tokens, then routes it. Internal.
 */
public final class GraphApi {
    private final CloudContext ctx;

    public GraphApi(CloudContext ctx) {
        this.ctx = ctx;
    }

    public boolean handles(FakeRequest r) {
        return r.segment(0).equals("v1.0");
    }

    /** The authenticated caller of a Graph request. */
    public record Caller(FakeTenant tenant, TokenService.Claims claims) {
    }

    public Reply handle(FakeRequest r) {
        Optional<String> bearer = r.bearerToken();
        if (bearer.isEmpty()) {
            return Errors.graph(401, "InvalidAuthenticationToken", "Access token is empty.", ctx, r);
        }
        Optional<TokenService.Claims> claims = ctx.tokens().verify(bearer.get());
        if (claims.isEmpty()) {
            return Errors.graph(401, "InvalidAuthenticationToken",
                    "IDX14100: JWT is not well formed, there are no dots (.).", ctx, r);
        }
        TokenService.Claims c = claims.get();
        if (TenantId.isValid(c.tenantId())) {
            r.tokenTenant = TenantId.of(c.tenantId());
        }
        if (!c.expiresAt().isAfter(ctx.clock().instant())) {
            return Errors.graph(401, "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.", ctx, r);
        }
        Optional<FakeTenant> tenant = ctx.tenant(c.tenantId());
        if (tenant.isEmpty()) {
            return Errors.graph(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.",
                    ctx, r);
        }
        r.tenant = tenant.get().id();
        return route(new Caller(tenant.get(), c), r);
    }

    private Reply route(Caller caller, FakeRequest r) {
        return Errors.graph(400, "BadRequest", "Resource not found for the segment '" + r.segment(1) + "'.", ctx, r);
    }
}
