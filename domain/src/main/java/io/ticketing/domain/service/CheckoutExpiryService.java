package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsUseCase;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.ClaimExpiredPaymentSessionsPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.util.Objects;
import java.util.List;

public class CheckoutExpiryService extends ServiceSupport implements ExpireCheckoutsUseCase {

    private final SavePaymentSessionPort savePaymentSession;
    private final ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions;
    private final SeatMoves seatMoves;

    public CheckoutExpiryService(UnitOfWorkPort unitOfWork, Clock clock, SeatTransitionPort seatTransition, SavePaymentSessionPort savePaymentSession, ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions) {
        super(unitOfWork, clock);
        this.savePaymentSession = Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        this.claimExpiredPaymentSessions = Objects.requireNonNull(claimExpiredPaymentSessions, "claimExpiredPaymentSessions");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public List<PaymentSessionId> expireCheckouts(ExpireCheckoutsCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Claimed sessions are locked by this unit of work: concurrent sweepers and payment reports skip or wait.
            List<PaymentSession> claimed = claimExpiredPaymentSessions
                    .claimExpiredOpenSessions(now(), command.batchSize());
            for (PaymentSession session : claimed) {
                seatMoves.releaseSeatsOf(session);
                savePaymentSession.updatePaymentSession(session.expire(), PaymentSessionStatus.OPEN);
            }
            return claimed.stream().map(PaymentSession::id).toList();
        });
    }
}
