package io.ticketing.domain.policy;

/** Why a policy said no: a stable code and a message for humans. */
public record Rejection(RejectionReason reason, String message) {

    public String code() {
        return reason.name();
    }
}
