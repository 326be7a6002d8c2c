package com.tekst.outlook.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issues and checks the fake identity platform's access tokens: RS256-signed JWTs shaped like Microsoft's app-only
 * Graph tokens ({@code aud}, {@code iss}, {@code tid}, {@code appid}, {@code roles}, {@code idtyp=app}, {@code exp}).
 * Also verifies certificate client assertions. Internal.
 */
public final class TokenService {
    public static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

    /** The claims the fake Graph relies on. */
    public record Claims(String tenantId, String appId, Set<String> roles, Instant issuedAt, Instant expiresAt,
                         String idType) {
    }

    /** A minted token and its lifetime. */
    public record Issued(String accessToken, Duration lifetime) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyPair keyPair;
    private final String keyId;
    private final Random random;
    /** The most recent access tokens minted, oldest first (bounded), so tests can prove none of them leaks. */
    private final java.util.ArrayDeque<String> minted = new java.util.ArrayDeque<>();
    private static final int MINTED_KEPT = 10_000;

    public TokenService(long seed) {
        try {
            SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
            keyRandom.setSeed(seed);
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048, keyRandom);
            this.keyPair = gen.generateKeyPair();
            byte[] modulus = ((RSAPublicKey) keyPair.getPublic()).getModulus().toByteArray();
            this.keyId = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(modulus)).substring(0, 27);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the fake token signing key", e);
        }
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    public String keyId() {
        return keyId;
    }

    /** The signing key as a JWKS document, as {@code /{tenant}/discovery/v2.0/keys} serves it. */
    public ObjectNode jwks() {
        RSAPublicKey pub = (RSAPublicKey) keyPair.getPublic();
        ObjectNode key = Json.object();
        key.put("kty", "RSA").put("use", "sig").put("kid", keyId)
                .put("n", B64.encodeToString(unsigned(pub.getModulus())))
                .put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
        ObjectNode doc = Json.object();
        doc.putArray("keys").add(key);
        return doc;
    }

    /** A token lifetime between 60 and 90 minutes, as Microsoft's default (average 75). */
    public synchronized Duration nextLifetime() {
        return Duration.ofMinutes(60).plusSeconds(random.nextInt(30 * 60 + 1));
    }

    /** Mints an app-only Graph token. */
    public synchronized Issued mint(String tenantId, String appId, String appDisplayName, String servicePrincipalId,
                                    Set<String> roles, Instant now, Duration lifetime) {
        ObjectNode header = Json.object();
        header.put("typ", "JWT").put("alg", "RS256").put("kid", keyId);
        ObjectNode claims = Json.object();
        claims.put("aud", GRAPH_AUDIENCE)
                .put("iss", "https://sts.windows.net/" + tenantId + "/")
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("app_displayname", appDisplayName)
                .put("appid", appId)
                .put("appidacr", "1")
                .put("idp", "https://sts.windows.net/" + tenantId + "/")
                .put("idtyp", "app")
                .put("oid", servicePrincipalId);
        if (!roles.isEmpty()) {
            ArrayNode r = claims.putArray("roles");
            new TreeSet<>(roles).forEach(r::add);
        }
        claims.put("sub", servicePrincipalId)
                .put("tid", tenantId)
                .put("uti", B64.encodeToString(longBytes(random.nextLong())) )
                .put("ver", "1.0");
        String signingInput = B64.encodeToString(Json.writeBytes(header)) + "."
                + B64.encodeToString(Json.writeBytes(claims));
        try {
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(keyPair.getPrivate());
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String token = signingInput + "." + B64.encodeToString(sig.sign());
            if (minted.size() == MINTED_KEPT) {
                minted.removeFirst();
            }
            minted.addLast(token);
            return new Issued(token, lifetime);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a fake token", e);
        }
    }

    /** The access tokens minted so far (the most recent 10,000), oldest first. */
    public synchronized List<String> minted() {
        return List.copyOf(minted);
    }

    /** Checks a bearer token's signature and shape; empty when it is not a token this cloud issued. */
    public Optional<Claims> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = Json.read(B64D.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText()) || !keyId.equals(header.path("kid").asText())) {
                return Optional.empty();
            }
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initVerify(keyPair.getPublic());
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode c = Json.read(B64D.decode(parts[1]));
            Set<String> roles = new TreeSet<>();
            c.path("roles").forEach(n -> roles.add(n.asText()));
            return Optional.of(new Claims(c.path("tid").asText(), c.path("appid").asText(), roles,
                    Instant.ofEpochSecond(c.path("iat").asLong()), Instant.ofEpochSecond(c.path("exp").asLong()),
                    c.path("idtyp").asText()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Why a client assertion was refused, or empty when it is valid for this client, audience and time. */
    public static Optional<String> checkClientAssertion(String assertion, String clientId, String audience,
                                                        List<X509Certificate> certificates, Instant now) {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.of("the client assertion is not a JWT");
        }
        try {
            JsonNode header = Json.read(B64D.decode(parts[0]));
            JsonNode claims = Json.read(B64D.decode(parts[1]));
            String alg = header.path("alg").asText();
            X509Certificate cert = null;
            for (X509Certificate candidate : certificates) {
                byte[] der = candidate.getEncoded();
                String s256 = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
                String s1 = B64.encodeToString(MessageDigest.getInstance("SHA-1").digest(der));
                // RFC 7515 says base64url; msal4j sends standard base64 with padding, and Microsoft accepts both.
                if (s256.equals(urlSafe(header.path("x5t#S256").asText()))
                        || s1.equals(urlSafe(header.path("x5t").asText()))) {
                    cert = candidate;
                }
            }
            if (cert == null) {
                return Optional.of("no registered certificate matches the assertion's thumbprint");
            }
            Signature sig;
            if ("RS256".equals(alg)) {
                sig = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(alg)) {
                sig = Signature.getInstance("RSASSA-PSS");
                sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return Optional.of("unsupported assertion algorithm " + alg);
            }
            sig.initVerify(cert.getPublicKey());
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(B64D.decode(parts[2]))) {
                return Optional.of("signature validation failed");
            }
            if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
                return Optional.of("iss and sub must be the client id");
            }
            boolean audOk = false;
            if (claims.path("aud").isArray()) {
                for (JsonNode a : claims.path("aud")) {
                    audOk |= audience.equalsIgnoreCase(a.asText());
                }
            } else {
                audOk = audience.equalsIgnoreCase(claims.path("aud").asText());
            }
            if (!audOk) {
                return Optional.of("the assertion's audience is not this token endpoint");
            }
            long exp = claims.path("exp").asLong(0);
            if (exp == 0 || Instant.ofEpochSecond(exp).isBefore(now)) {
                return Optional.of("the assertion expired");
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("the client assertion cannot be parsed");
        }
    }

    private static String urlSafe(String base64) {
        String s = base64.replace('+', '-').replace('/', '_');
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    /** A UUID drawn from this service's seeded randomness (trace ids, request ids). */
    public synchronized String nextUuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            return java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>= 8;
        }
        return b;
    }
}
