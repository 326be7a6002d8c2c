package com.tekst.outlook.diagnostics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a check saw: the HTTP status, error code and request ids of the answer it rests on, and named facts (times,
 * counts, names) in the order they were recorded. Never holds a secret, token, consent {@code state} or message
 * content. Immutable.
 */
public final class Evidence {
    private static final Evidence NONE = new Builder().build();

    private final Integer httpStatus;
    private final String errorCode;
    private final String requestId;
    private final String clientRequestId;
    private final Map<String, String> facts;

    private Evidence(Builder b) {
        this.httpStatus = b.httpStatus;
        this.errorCode = b.errorCode;
        this.requestId = b.requestId;
        this.clientRequestId = b.clientRequestId;
        this.facts = Collections.unmodifiableMap(new LinkedHashMap<>(b.facts));
    }

    /** No evidence beyond the check's summary. */
    public static Evidence none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The HTTP status of the answer the check rests on. */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The error code: {@code AADSTS7000222}, Graph's {@code ErrorAccessDenied}, … */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Graph's or the identity platform's {@code request-id} of the answer (what Microsoft support asks for). */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The {@code client-request-id} the SDK sent. */
    public Optional<String> clientRequestId() {
        return Optional.ofNullable(clientRequestId);
    }

    /** Named facts in the order recorded ("lastSuccessfulRound" → an ISO-8601 instant, "deltaResets24h" → "2"). */
    public Map<String, String> facts() {
        return facts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence e && Objects.equals(httpStatus, e.httpStatus)
                && Objects.equals(errorCode, e.errorCode) && Objects.equals(requestId, e.requestId)
                && Objects.equals(clientRequestId, e.clientRequestId) && facts.equals(e.facts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(httpStatus, errorCode, requestId, clientRequestId, facts);
    }

    @Override
    public String toString() {
        return "Evidence[httpStatus=" + httpStatus + ", errorCode=" + errorCode + ", requestId=" + requestId
                + ", clientRequestId=" + clientRequestId + ", facts=" + facts + "]";
    }

    /** Builds {@link Evidence}; every value is optional. Not thread-safe. */
    public static final class Builder {
        private Integer httpStatus;
        private String errorCode;
        private String requestId;
        private String clientRequestId;
        private final Map<String, String> facts = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder httpStatus(int value) {
            if (value < 100 || value > 599) {
                throw new IllegalArgumentException("an HTTP status is 100 to 599, not " + value);
            }
            this.httpStatus = value;
            return this;
        }

        public Builder errorCode(String value) {
            this.errorCode = blankToNull(value);
            return this;
        }

        public Builder requestId(String value) {
            this.requestId = blankToNull(value);
            return this;
        }

        public Builder clientRequestId(String value) {
            this.clientRequestId = blankToNull(value);
            return this;
        }

        /** Records a fact; a later fact of the same name replaces the earlier value in place. */
        public Builder fact(String name, Object value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a fact needs a name");
            }
            facts.put(name, String.valueOf(value));
            return this;
        }

        public Evidence build() {
            return new Evidence(this);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
