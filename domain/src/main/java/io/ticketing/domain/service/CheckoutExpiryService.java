package io.ticketing.domain.service;

import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsUseCase;
import io.ticketing.domain.port.out.TicketingPorts;

import java.util.List;

public class CheckoutExpiryService extends ServiceSupport implements ExpireCheckoutsUseCase {

    public CheckoutExpiryService(TicketingPorts ports) {
        super(ports);
    }

    @Override
    public List<PaymentSessionId> expireCheckouts(ExpireCheckoutsCommand command) {
        AccessPolicy.mayOperate(command.actor()).orThrow();
        return inUnitOfWork(command.actor(), () -> {
            // Claimed sessions are locked by this unit of work: concurrent sweepers and payment reports skip or wait.
            List<PaymentSession> claimed = ports.claimExpiredPaymentSessions()
                    .claimExpiredOpenSessions(now(), command.batchSize());
            for (PaymentSession session : claimed) {
                releaseSeatsOf(session);
                ports.savePaymentSession().updatePaymentSession(session.expire(), PaymentSessionStatus.OPEN);
            }
            return claimed.stream().map(PaymentSession::id).toList();
        });
    }
}
