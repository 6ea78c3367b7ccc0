package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.port.in.ApplyPaymentResultCommand;
import io.ticketing.domain.port.in.ApplyPaymentResultUseCase;
import io.ticketing.domain.port.in.ApplyPaymentWebhookUseCase;
import io.ticketing.domain.port.in.ApplyRefundResultCommand;
import io.ticketing.domain.port.in.ApplyRefundResultUseCase;
import io.ticketing.domain.port.in.PaymentResultApplied;
import io.ticketing.domain.port.in.RefundApplied;
import io.ticketing.domain.port.out.PaymentWebhookLedgerPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.util.Objects;
import java.util.Optional;

/** Provider events applied once: the ledger's record and the payment result commit together, or neither does. */
public class PaymentWebhookService implements ApplyPaymentWebhookUseCase {

    private final UnitOfWorkPort unitOfWork;
    private final PaymentWebhookLedgerPort ledger;
    private final ApplyPaymentResultUseCase paymentResults;
    private final ApplyRefundResultUseCase refundResults;

    public PaymentWebhookService(UnitOfWorkPort unitOfWork, PaymentWebhookLedgerPort ledger, ApplyPaymentResultUseCase paymentResults,
                                 ApplyRefundResultUseCase refundResults) {
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.paymentResults = Objects.requireNonNull(paymentResults, "paymentResults");
        this.refundResults = Objects.requireNonNull(refundResults, "refundResults");
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
