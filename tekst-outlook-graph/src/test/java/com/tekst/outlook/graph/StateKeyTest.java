package com.tekst.outlook.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tekst.outlook.InvalidValueException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StateKeyTest {

    @Test
    void keysHaveADerivedIdAndARedactedToString() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        StateKey key = StateKey.of(bytes);
        assertThat(key.id()).matches("[0-9a-f]{16}");
        assertThat(StateKey.of(bytes.clone())).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(StateKey.of(bytes).id()).isEqualTo(key.id());
        assertThat(StateKey.fromBase64(Base64.getEncoder().encodeToString(bytes))).isEqualTo(key);
        assertThat(StateKey.fromBase64(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isEqualTo(key);
        assertThat(key.toString()).isEqualTo("StateKey[id=" + key.id() + "]")
                .doesNotContain(Base64.getEncoder().encodeToString(bytes));
        assertThat(StateKey.random()).isNotEqualTo(StateKey.random());
        bytes[0] ^= 1;
        assertThat(StateKey.of(bytes)).as("the key was copied").isNotEqualTo(key);
    }

    @Test
    void weakOrMalformedKeysAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> StateKey.of(new byte[16])).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("32 to 1024 bytes");
        assertThatThrownBy(() -> StateKey.of(new byte[32])).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("identical bytes");
        assertThatThrownBy(() -> StateKey.of(null)).isInstanceOf(InvalidValueException.class);
        String notBase64 = "this is *not* base64 but a secret-looking sentence";
        assertThatThrownBy(() -> StateKey.fromBase64(notBase64)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("not valid Base64").hasMessageNotContaining("secret-looking");
        assertThatThrownBy(() -> StateKey.fromBase64("c2hvcnQ=")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("got 5 bytes");
    }
}
