package io.ticketing.api.web;

import io.ticketing.api.web.auth.Authenticator;
import io.ticketing.domain.service.TicketingServices;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Everything the HTTP API needs; the bootstrap builds it from the configuration. */
public record ApiDependencies(TicketingServices services, ReadinessCheck readiness, Authenticator authenticator,
                              Idempotency.Store idempotencyStore, PaymentWebhookSignature webhookSignature,
                              PaymentWebhookEndpoint.Ledger webhookLedger, AdminEndpoints.AuditTrail auditTrail,
                              PrometheusMeterRegistry metrics) {
}
