package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.InvalidValueException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppCredentialTest {
    static HeldCertificate rsa;
    static HeldCertificate otherRsa;

    @BeforeAll
    static void certificates() {
        rsa = new HeldCertificate.Builder().rsa2048().commonName("Tekst Outlook").build();
        otherRsa = new HeldCertificate.Builder().rsa2048().commonName("Someone else").build();
    }

    @Test
    void aSecretNeverShowsAndBadSecretsAreRefusedWithoutQuotingThem() {
        String secret = "abc~DEF.ghi_JKL-0123456789abcdefghijklmn";
        AppCredential credential = AppCredential.secret(secret);
        assertThat(credential.toString()).isEqualTo("AppCredential[client secret]");
        assertThat(credential.isCertificate()).isFalse();

        assertThatThrownBy(() -> AppCredential.secret("")).isInstanceOf(InvalidValueException.class)
                .hasMessage("client secret must not be empty");
        assertThatThrownBy(() -> AppCredential.secret(null)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> AppCredential.secret(" " + secret + "\n")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("white space").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> AppCredential.secret("abc\u0000def")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("control character").hasMessageNotContaining("abc");
        assertThatThrownBy(() -> AppCredential.secret("s".repeat(2000))).isInstanceOf(InvalidValueException.class)
                .hasMessageNotContaining("sss");
    }

    @Test
    void pemKeysAreReadInPkcs8AndPkcs1Form() {
        AppCredential pkcs8 = AppCredential.pem(rsa.privateKeyPkcs8Pem(), rsa.certificatePem());
        AppCredential pkcs1 = AppCredential.pem(rsa.privateKeyPkcs1Pem(), rsa.certificatePem());
        assertThat(pkcs8.isCertificate()).isTrue();
        assertThat(pkcs8.toString()).startsWith("AppCredential[certificate CN=Tekst Outlook, SHA-256 ")
                .contains("expires").doesNotContain("PRIVATE");
        assertThat(pkcs1.toString()).isEqualTo(pkcs8.toString());
        assertThat(AppCredential.pem(rsa.certificatePem() + rsa.privateKeyPkcs8Pem(), rsa.certificatePem()))
                .as("a certificate block before the key is skipped").isNotNull();
    }

    @Test
    void badPemIsRefusedWithAClearMessageAndNoKeyMaterial() {
        String keyBody = rsa.privateKeyPkcs8Pem().split("\n")[1];
        assertThatThrownBy(() -> AppCredential.pem(rsa.privateKeyPkcs8Pem(), otherRsa.certificatePem()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("does not belong to the certificate CN=Someone else")
                .hasMessageNotContaining(keyBody);
        assertThatThrownBy(() -> AppCredential.pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n", rsa.certificatePem()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> AppCredential.pem("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n", rsa.certificatePem()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> AppCredential.pem("not a key", rsa.certificatePem()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> AppCredential.pem("-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----",
                rsa.certificatePem())).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("not an RSA private key");
        assertThatThrownBy(() -> AppCredential.pem(rsa.privateKeyPkcs8Pem(), "no certificate here"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> AppCredential.pem(rsa.privateKeyPkcs8Pem(),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("not an X.509 certificate");
    }

    @Test
    void anEcKeyIsRefusedBecauseTheIdentityPlatformNeedsRsa() throws Exception {
        HeldCertificate ec = new HeldCertificate.Builder().ecdsa256().build();
        assertThatThrownBy(() -> AppCredential.certificate(ec.keyPair().getPrivate(), ec.certificate()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("needs an RSA private key");
        assertThatThrownBy(() -> AppCredential.pem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
                ec.certificatePem())).isInstanceOf(InvalidValueException.class).hasMessageContaining("EC key");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        assertThatThrownBy(() -> AppCredential.certificate(gen.generateKeyPair().getPrivate(), rsa.certificate()))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void pkcs12IsReadAndAWrongPasswordIsAClearErrorWithoutThePassword() throws Exception {
        char[] password = "correct horse battery".toCharArray();
        byte[] pfx = pkcs12(password, rsa);
        AppCredential credential = AppCredential.pkcs12(new ByteArrayInputStream(pfx), password);
        assertThat(credential.toString()).contains("CN=Tekst Outlook");

        assertThatThrownBy(() -> AppCredential.pkcs12(new ByteArrayInputStream(pfx), "wrong".toCharArray()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("password is wrong or this is not a PKCS#12 file")
                .hasMessageNotContaining("wrong\"").hasMessageNotContaining("correct horse");
        assertThatThrownBy(() -> AppCredential.pkcs12(new ByteArrayInputStream("junk".getBytes()), password))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> AppCredential.pkcs12(new ByteArrayInputStream(pkcs12(password, rsa, otherRsa)),
                password)).isInstanceOf(InvalidValueException.class).hasMessageContaining("2 private keys");
    }

    @Test
    void aCertificateFromObjectsIsCheckedToo() {
        assertThat(AppCredential.certificate(rsa.keyPair().getPrivate(), rsa.certificate()).isCertificate()).isTrue();
        assertThatThrownBy(() -> AppCredential.certificate(rsa.keyPair().getPrivate(), otherRsa.certificate()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("does not belong");
        assertThat(Base64.getEncoder().encodeToString(rsa.keyPair().getPrivate().getEncoded()))
                .isNotIn(AppCredential.certificate(rsa.keyPair().getPrivate(), rsa.certificate()).toString());
    }

    static byte[] pkcs12(char[] password, HeldCertificate... certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (HeldCertificate c : certs) {
            store.setKeyEntry("key" + (i++), c.keyPair().getPrivate(), password, new Certificate[] {c.certificate()});
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }
}
