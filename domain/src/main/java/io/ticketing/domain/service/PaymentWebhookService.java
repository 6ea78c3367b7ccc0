package io.ticketing.domain.service;

import io.ticketing.domain.model.Actor;
import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.ApplyPaymentResultUseCase;
import io.ticketing.domain.port.in.ApplyPaymentWebhookUseCase;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.ApplyRefundResultUseCase;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RefundApplied;
import io.ticketing.domain.port.out.LoadPaymentSessionPort;
import io.ticketing.domain.port.out.PaymentWebhookLedgerPort;
import io.ticketing.domain.port.out.RowLock;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Provider events applied once: the ledger's record and the payment result commit together, or neither does. */
public class PaymentWebhookService implements ApplyPaymentWebhookUseCase {

    private final UnitOfWorkPort unitOfWork;
    private final PaymentWebhookLedgerPort ledger;
    private final LoadPaymentSessionPort loadPaymentSession;
    private final ApplyPaymentResultUseCase paymentResults;
    private final ApplyRefundResultUseCase refundResults;

    public PaymentWebhookService(UnitOfWorkPort unitOfWork, PaymentWebhookLedgerPort ledger, LoadPaymentSessionPort loadPaymentSession,
                                 ApplyPaymentResultUseCase paymentResults, ApplyRefundResultUseCase refundResults) {
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.loadPaymentSession = Objects.requireNonNull(loadPaymentSession, "loadPaymentSession");
        this.paymentResults = Objects.requireNonNull(paymentResults, "paymentResults");
        this.refundResults = Objects.requireNonNull(refundResults, "refundResults");
    }

    @Override
    public Optional<PaymentSessionId> paymentSessionKnownAs(Actor actor, String name) {
        List<PaymentSessionId> candidates = PaymentSessionId.knownAs(name);
        if (candidates.size() < 2) {
            return candidates.stream().findFirst(); // a lower-case UUID, or no UUID at all: no choice to make
        }
        // An upper-case UUID: a legacy id the import renamed, or a checkout's own id written so. Neither found, the
        // first is reported not found.
        return Optional.of(unitOfWork.inUnitOfWork(actor, () -> candidates.stream()
                .filter(candidate -> loadPaymentSession.loadPaymentSession(candidate, RowLock.NONE).isPresent())
                .findFirst().orElse(candidates.get(0))));
    }

    @Override
    public Optional<PaymentResultApplied> applyPaymentWebhook(String providerEventId, ApplyPaymentResultCommand command) {
        InvalidValueException.required(command, "command");
        String eventId = InvalidValueException.requiredText(providerEventId, "providerEventId");
        // The payment result's own unit of work joins this one: a redelivery racing the first waits on the record.
        return unitOfWork.inUnitOfWork(command.actor(), () ->
                ledger.recordFirstDelivery(eventId, command.result().name(), command.paymentSessionId().value())
                        ? Optional.of(paymentResults.applyPaymentResult(command))
                        : Optional.empty());
    }

    @Override
    public Optional<RefundApplied> applyRefundWebhook(String providerEventId, ApplyRefundResultCommand command) {
        InvalidValueException.required(command, "command");
        String eventId = InvalidValueException.requiredText(providerEventId, "providerEventId");
        return unitOfWork.inUnitOfWork(command.actor(), () ->
                ledger.recordFirstDelivery(eventId, "REFUNDED", command.paymentSessionId().value())
                        ? Optional.of(refundResults.applyRefundResult(command))
                        : Optional.empty());
    }
}
