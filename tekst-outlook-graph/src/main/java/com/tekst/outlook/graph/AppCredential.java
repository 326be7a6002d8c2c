package com.tekst.outlook.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;
import com.tekst.outlook.InvalidValueException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's own credential towards the Microsoft identity platform: a client secret or a certificate (an RSA
 * private key with its X.509 certificate, which must be uploaded to the app registration).
 *
 * <pre>{@code
 * AppCredential.secret(System.getenv("TEKST_OUTLOOK_CLIENT_SECRET"));
 * AppCredential.pkcs12(Files.newInputStream(path), password);
 * AppCredential.pem(privateKeyPem, certificatePem);          // PKCS#8 or PKCS#1 ("BEGIN RSA PRIVATE KEY")
 * AppCredential.certificate(privateKey, x509Certificate);
 * }</pre>
 *
 * <p>Bad input fails fast with an {@link InvalidValueException} whose message says what is wrong without quoting any
 * key material. Immutable and thread-safe. {@link #toString()} never shows the secret or the key: a secret shows as
 * {@code AppCredential[client secret]}, a certificate by its subject, SHA-256 thumbprint and expiry.
 */
public final class AppCredential {
    private static final int MAX_SECRET_LENGTH = 1024;
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
            (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final String secret;
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private AppCredential(String secret, PrivateKey privateKey, List<X509Certificate> chain) {
        this.secret = secret;
        this.privateKey = privateKey;
        this.chain = chain;
    }

    /**
     * A client secret, as shown once in the Azure portal when it was created.
     *
     * @throws InvalidValueException if it is empty, longer than 1,024 characters, or has leading or trailing white
     *                               space (a copy-paste accident)
     */
    public static AppCredential secret(String clientSecret) {
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new InvalidValueException("client secret", "must not be empty");
        }
        if (clientSecret.length() > MAX_SECRET_LENGTH) {
            throw new InvalidValueException("client secret", "must be at most " + MAX_SECRET_LENGTH
                    + " characters; got " + clientSecret.length());
        }
        if (!clientSecret.equals(clientSecret.strip())) {
            throw new InvalidValueException("client secret", "has leading or trailing white space; copy the secret"
                    + " value again (the value is not shown)");
        }
        for (int i = 0; i < clientSecret.length(); i++) {
            if (Character.isISOControl(clientSecret.charAt(i))) {
                throw new InvalidValueException("client secret", "contains a control character at position " + i
                        + " (the value is not shown)");
            }
        }
        return new AppCredential(clientSecret, null, null);
    }

    /**
     * A certificate credential from a PKCS#12 ({@code .pfx}/{@code .p12}) file holding one RSA private key and its
     * certificate chain. The stream is read fully but not closed.
     *
     * @throws InvalidValueException if the file cannot be read with the password, holds no private key, or the key is
     *                               not RSA or does not belong to the certificate
     */
    public static AppCredential pkcs12(InputStream pkcs12, char[] password) {
        Objects.requireNonNull(pkcs12, "pkcs12");
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(pkcs12, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidValueException("PKCS#12 credential", "cannot be read: the password is wrong or this is"
                    + " not a PKCS#12 file (" + e.getClass().getSimpleName() + ")");
        }
        try {
            List<String> keyAliases = new ArrayList<>();
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.isEmpty()) {
                throw new InvalidValueException("PKCS#12 credential", "holds no private key");
            }
            if (keyAliases.size() > 1) {
                throw new InvalidValueException("PKCS#12 credential", "holds " + keyAliases.size()
                        + " private keys; export only the application's key and certificate");
            }
            String alias = keyAliases.get(0);
            PrivateKey key = (PrivateKey) store.getKey(alias, password);
            Certificate[] certs = store.getCertificateChain(alias);
            if (key == null || certs == null || certs.length == 0) {
                throw new InvalidValueException("PKCS#12 credential", "holds a key without its certificate");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                if (!(c instanceof X509Certificate x509)) {
                    throw new InvalidValueException("PKCS#12 credential", "holds a certificate that is not X.509");
                }
                chain.add(x509);
            }
            return checked(key, chain);
        } catch (GeneralSecurityException e) {
            throw new InvalidValueException("PKCS#12 credential", "the private key cannot be read with this password"
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A certificate credential from PEM text: an RSA private key ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8, or
     * {@code -----BEGIN RSA PRIVATE KEY-----}, PKCS#1; unencrypted) and the certificate
     * ({@code -----BEGIN CERTIFICATE-----}, optionally followed by its chain).
     *
     * @throws InvalidValueException if either text is not such PEM, the key is encrypted or not RSA, or the key does
     *                               not belong to the certificate
     */
    public static AppCredential pem(String privateKeyPem, String certificatePem) {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(certificatePem, "certificatePem");
        PrivateKey key = parsePrivateKey(privateKeyPem);
        List<X509Certificate> chain = parseCertificates(certificatePem);
        return checked(key, chain);
    }

    /**
     * A certificate credential from a private key and its certificate.
     *
     * @throws InvalidValueException if the key is not RSA or does not belong to the certificate
     */
    public static AppCredential certificate(PrivateKey privateKey, X509Certificate certificate) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        return checked(privateKey, List.of(certificate));
    }

    /** Whether this is a certificate credential (as opposed to a client secret). */
    public boolean isCertificate() {
        return chain != null;
    }

    /**
     * For a certificate credential, when its certificate expires (the leaf's {@code notAfter}); empty for a client
     * secret, whose expiry only the app registration knows. Diagnostics warn 30 days before.
     */
    public Optional<Instant> expiresAt() {
        return chain == null ? Optional.empty() : Optional.of(chain.get(0).getNotAfter().toInstant());
    }

    /** The msal4j credential. */
    IClientCredential toMsal() {
        if (secret != null) {
            return ClientCredentialFactory.createFromSecret(secret);
        }
        return chain.size() == 1
                ? ClientCredentialFactory.createFromCertificate(privateKey, chain.get(0))
                : ClientCredentialFactory.createFromCertificateChain(privateKey, chain);
    }

    @Override
    public String toString() {
        if (secret != null) {
            return "AppCredential[client secret]";
        }
        X509Certificate leaf = chain.get(0);
        String thumbprint;
        try {
            thumbprint = HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (GeneralSecurityException e) {
            thumbprint = "?";
        }
        return "AppCredential[certificate " + leaf.getSubjectX500Principal().getName() + ", SHA-256 " + thumbprint
                + ", expires " + leaf.getNotAfter().toInstant() + "]";
    }

    // ---- checks and parsing ----------------------------------------------------------------------------------------

    private static AppCredential checked(PrivateKey key, List<X509Certificate> chain) {
        if (!"RSA".equals(key.getAlgorithm()) || !(key instanceof RSAKey rsaKey)) {
            throw new InvalidValueException("certificate credential", "needs an RSA private key (the Microsoft"
                    + " identity platform signs client assertions with RSA); got a " + key.getAlgorithm() + " key");
        }
        if (!(chain.get(0).getPublicKey() instanceof RSAPublicKey certKey)
                || !certKey.getModulus().equals(rsaKey.getModulus())) {
            throw new InvalidValueException("certificate credential", "the private key does not belong to the"
                    + " certificate " + chain.get(0).getSubjectX500Principal().getName());
        }
        return new AppCredential(null, key, List.copyOf(chain));
    }

    private static PrivateKey parsePrivateKey(String pem) {
        if (pem.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new InvalidValueException("private key PEM", "is encrypted; decrypt it first (openssl pkcs8 -topk8"
                    + " -nocrypt) or use a PKCS#12 file with a password");
        }
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return rsaKey(decode(m.group(2), "private key PEM"));
                }
                case "RSA PRIVATE KEY" -> {
                    return rsaKey(pkcs1ToPkcs8(decode(m.group(2), "private key PEM")));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new InvalidValueException("private key PEM", "is encrypted;"
                        + " decrypt it first (openssl pkcs8 -topk8 -nocrypt) or use a PKCS#12 file with a password");
                case "EC PRIVATE KEY" -> throw new InvalidValueException("private key PEM", "is an EC key; the"
                        + " Microsoft identity platform needs an RSA key");
                default -> {
                    // e.g. a CERTIFICATE block next to the key: keep looking
                }
            }
        }
        throw new InvalidValueException("private key PEM", "has no '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA"
                + " PRIVATE KEY-----' block");
    }

    private static PrivateKey rsaKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new InvalidValueException("private key PEM", "is not an RSA private key in PKCS#8 or PKCS#1 form");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static List<X509Certificate> parseCertificates(String pem) {
        Matcher m = PEM_BLOCK.matcher(pem);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (!m.group(1).equals("CERTIFICATE")) {
                    continue;
                }
                Collection<? extends Certificate> certs = factory.generateCertificates(
                        new ByteArrayInputStream(decode(m.group(2), "certificate PEM")));
                for (Certificate c : certs) {
                    chain.add((X509Certificate) c);
                }
            }
        } catch (CertificateException e) {
            throw new InvalidValueException("certificate PEM", "holds a block that is not an X.509 certificate");
        }
        if (chain.isEmpty()) {
            throw new InvalidValueException("certificate PEM", "has no '-----BEGIN CERTIFICATE-----' block");
        }
        return Collections.unmodifiableList(chain);
    }

    private static byte[] decode(String base64Body, String what) {
        try {
            return Base64.getMimeDecoder().decode(base64Body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(what, "has a body that is not valid Base64");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (RFC 5208), which the JDK reads. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octetString = der(0x04, pkcs1);
        byte[] content = new byte[version.length + RSA_ALGORITHM_IDENTIFIER.length + octetString.length];
        System.arraycopy(version, 0, content, 0, version.length);
        System.arraycopy(RSA_ALGORITHM_IDENTIFIER, 0, content, version.length, RSA_ALGORITHM_IDENTIFIER.length);
        System.arraycopy(octetString, 0, content, version.length + RSA_ALGORITHM_IDENTIFIER.length,
                octetString.length);
        byte[] out = der(0x30, content);
        Arrays.fill(content, (byte) 0);
        Arrays.fill(octetString, (byte) 0);
        Arrays.fill(pkcs1, (byte) 0);
        return out;
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length;
        if (n < 0x80) {
            length = new byte[] {(byte) n};
        } else if (n < 0x100) {
            length = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
