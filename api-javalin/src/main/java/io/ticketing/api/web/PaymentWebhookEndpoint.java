package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.BookingView;
import io.ticketing.api.web.Views.CheckoutView;
import io.ticketing.api.web.Views.TicketView;
import io.ticketing.api.web.auth.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.Money;
import io.ticketing.domain.model.NotFoundException;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.RefundRequest;
import io.ticketing.domain.model.VisibleText;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.ApplyPaymentWebhookUseCase;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.PaymentResult;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/payments}: the payment provider reports {@code processing}, {@code succeeded}
 * or {@code failed} for a checkout, or {@code refunded} for the refund of its payment. Signed (see
 * {@link PaymentWebhookSignature}); each provider event is applied once, whatever the number of deliveries; the
 * reported amount must equal the checkout's (the refund request's, for {@code refunded}).
 */
public final class PaymentWebhookEndpoint {

    /** {@code paymentSessionId} as sent: a checkout's id, or the legacy app's id of a migrated checkout. */
    record PaymentEvent(String id, String type, String paymentSessionId, String amount, String currency, String providerReference) {
    }

    /** A plain decimal string ("50.00", "50", "0.5"): no exponent, sign or spaces that BigDecimal would also read. */
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,8}(\\.[0-9]{1,2})?");

    private static final Actor WEBHOOK = Actor.system("payment-webhook");

    private final ApplyPaymentWebhookUseCase applyPaymentWebhook;
    private final PaymentWebhookSignature signature;
    private final Requests requests;
    private final MeterRegistry metrics;

    PaymentWebhookEndpoint(ApplyPaymentWebhookUseCase applyPaymentWebhook, PaymentWebhookSignature signature, Requests requests,
                           MeterRegistry metrics) {
        this.applyPaymentWebhook = applyPaymentWebhook;
        this.signature = signature;
        this.requests = requests;
        this.metrics = metrics;
    }

    void register(JavalinDefaultRoutingApi routes) {
        // Anonymous at the HTTP level: the signature is the provider's credential.
        routes.post("/webhooks/payments", this::receive, Role.ANONYMOUS);
    }

    private void receive(Context ctx) {
        signature.verify(ctx.header(PaymentWebhookSignature.HEADER), RequestBodies.read(ctx));
        PaymentEvent event = requests.body(ctx, PaymentEvent.class);
        // Blank as the domain reads it: what shows nothing (a zero-width space) is blank too.
        if (event.id() == null || VisibleText.isBlank(event.id()) || event.paymentSessionId() == null || event.type() == null) {
            throw ApiException.of(400, "invalid-value", "id, type and paymentSessionId are required.");
        }
        InvalidValueException.checkLength(event.id(), ApplyPaymentResultCommand.MAX_PROVIDER_ID_LENGTH, "id");
        // Half of an amount (no currency, or a currency alone) reports no amount: refused as a report without one is (422).
        Money amount = event.amount() == null || event.currency() == null ? null : money(event);
        PaymentSessionId checkout = checkout(event);
        try {
            apply(ctx, event, amount, checkout);
        } catch (NotFoundException e) {
            // A migrated checkout is looked up under a UUID made from its legacy id: name the id the provider sent.
            throw checkout.value().toString().equalsIgnoreCase(event.paymentSessionId()) ? e
                    : new NotFoundException("PaymentSession", event.paymentSessionId());
        }
    }

    private void apply(Context ctx, PaymentEvent event, Money amount, PaymentSessionId checkout) {
        if ("refunded".equals(event.type())) {
            refunded(ctx, event, amount, checkout);
            return;
        }
        PaymentResult result = resultOf(event.type());
        var applied = applyPaymentWebhook.applyPaymentWebhook(event.id(), new ApplyPaymentResultCommand(
                WEBHOOK, checkout, result, event.providerReference(), amount));
        metrics.counter("ticketing.payment.webhooks", "type", result.name().toLowerCase(Locale.ROOT),
                "outcome", applied.isPresent() ? "applied" : "duplicate").increment();
        if (applied.isEmpty()) {
            ctx.json(Map.of("status", "duplicate", "detail", "Provider event " + event.id() + " was applied before."));
            return;
        }
        var outcome = applied.get();
        outcome.booking().filter(booking -> booking.status() == BookingStatus.CONFIRMED)
                .ifPresent(booking -> metrics.counter("ticketing.bookings.confirmed").increment());
        ctx.json(Map.of(
                "status", "applied",
                "paymentSession", CheckoutView.of(outcome.session()),
                "booking", outcome.booking().map(BookingView::of).map(Object.class::cast).orElse(Map.of()),
                "tickets", TicketView.of(outcome.tickets())));
    }

    /** The refund of the checkout's payment: its refund request REFUNDED, its booking's cancelled tickets REFUNDED. */
    private void refunded(Context ctx, PaymentEvent event, Money amount, PaymentSessionId checkout) {
        var applied = applyPaymentWebhook.applyRefundWebhook(event.id(), new ApplyRefundResultCommand(
                WEBHOOK, checkout, event.providerReference(), amount));
        metrics.counter("ticketing.payment.webhooks", "type", "refunded",
                "outcome", applied.isPresent() ? "applied" : "duplicate").increment();
        if (applied.isEmpty()) {
            ctx.json(Map.of("status", "duplicate", "detail", "Provider event " + event.id() + " was applied before."));
            return;
        }
        RefundRequest refund = applied.get().refund();
        ctx.json(Map.of(
                "status", "applied",
                "refund", Map.of("id", refund.id().value(), "bookingId", refund.bookingId().value(),
                        "paymentSessionId", checkout.value(), "status", refund.status().name(),
                        "amount", Views.MoneyView.of(refund.amount())),
                "tickets", TicketView.of(applied.get().tickets())));
    }

    /**
     * The checkout the report names: by its id, or a migrated one by the id the legacy app gave it (the provider was
     * given that one). An id that can be neither is refused as any malformed id is.
     */
    private PaymentSessionId checkout(PaymentEvent event) {
        return applyPaymentWebhook.paymentSessionKnownAs(WEBHOOK, event.paymentSessionId()).orElseThrow(() -> ApiException.of(400,
                "invalid-id", "'paymentSessionId' must be a UUID, or the id the legacy app gave a migrated checkout (at most "
                        + PaymentSessionId.MAX_NAME_LENGTH + " characters, none of them a space or a control character)."));
    }

    /** As written: "Succeeded" or " failed" is not a word of the provider's, and guessing is not binding strictly. */
    private static PaymentResult resultOf(String type) {
        return switch (type) {
            case "processing" -> PaymentResult.PROCESSING;
            case "succeeded" -> PaymentResult.SUCCEEDED;
            case "failed" -> PaymentResult.FAILED;
            default -> throw ApiException.of(400, "invalid-value", "type must be processing, succeeded, failed or refunded, not '" + type + "'.");
        };
    }

    private static Money money(PaymentEvent event) {
        if (!AMOUNT.matcher(event.amount()).matches()) {
            throw ApiException.of(400, "invalid-value", "amount must be a decimal string of at most 8 digits and 2 decimals, e.g. \"50.00\".");
        }
        Currency currency;
        try {
            currency = Money.currency(event.currency());
        } catch (RuntimeException e) {
            throw ApiException.of(400, "invalid-value", "currency must be an ISO 4217 code such as EUR.");
        }
        try {
            return Money.of(event.amount(), currency.getCurrencyCode());
        } catch (InvalidValueException e) {
            // an amount its currency cannot hold: decimals of one without minor unit (1250.50 JPY)
            throw ApiException.of(400, "invalid-value", e.getMessage() + ".");
        }
    }
}
