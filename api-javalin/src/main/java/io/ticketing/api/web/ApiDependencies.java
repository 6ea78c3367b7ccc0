package io.ticketing.api.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.api.web.auth.JwtVerifier;

import java.util.Optional;

/**
 * Everything the HTTP API needs: the use cases it calls, and its own concerns (whether it may serve, readiness,
 * customer tokens, the webhook's signature, metrics). The wiring builds it from the configuration.
 */
public record ApiDependencies(ApiUseCases useCases, ServingGate serving, ReadinessCheck readiness,
                              Optional<JwtVerifier> customerTokens, PaymentWebhookSignature webhookSignature,
                              PrometheusMeterRegistry metrics) {
}
