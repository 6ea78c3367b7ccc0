package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.model.PaymentSession;
import io.ticketing.domain.model.PaymentSessionId;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.StorageUnavailableException;
import io.ticketing.domain.policy.AccessPolicy;
import io.ticketing.domain.port.in.ExpireCheckoutsCommand;
import io.ticketing.domain.port.in.ExpireCheckoutsUseCase;
import io.ticketing.domain.port.in.ExpiryRun;
import io.ticketing.domain.port.out.SeatTransitionPort;
import io.ticketing.domain.port.out.SavePaymentSessionPort;
import io.ticketing.domain.port.out.ClaimExpiredPaymentSessionsPort;
import io.ticketing.domain.port.out.UnitOfWorkPort;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

public class CheckoutExpiryService extends ServiceSupport implements ExpireCheckoutsUseCase {

    private final SavePaymentSessionPort savePaymentSession;
    private final ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions;
    private final SeatMoves seatMoves;
    /** Checkouts this sweeper failed to expire, and until when it leaves them out. */
    private final Map<PaymentSessionId, Instant> failedUntil = new ConcurrentHashMap<>();

    public CheckoutExpiryService(UnitOfWorkPort unitOfWork, Clock clock, SeatTransitionPort seatTransition, SavePaymentSessionPort savePaymentSession, ClaimExpiredPaymentSessionsPort claimExpiredPaymentSessions) {
        super(unitOfWork, clock);
        this.savePaymentSession = Objects.requireNonNull(savePaymentSession, "savePaymentSession");
        this.claimExpiredPaymentSessions = Objects.requireNonNull(claimExpiredPaymentSessions, "claimExpiredPaymentSessions");
        this.seatMoves = new SeatMoves(seatTransition);
    }

    @Override
    public ExpiryRun expireCheckouts(ExpireCheckoutsCommand command) {
        InvalidValueException.required(command, "command");
        AccessPolicy.mayOperate(command.actor()).orThrow();
        Instant now = now();
        failedUntil.values().removeIf(until -> !until.isAfter(now));
        Set<PaymentSessionId> skipping = Set.copyOf(failedUntil.keySet());
        try {
            return new ExpiryRun(inUnitOfWork(command.actor(), () -> expire(now, command.batchSize(), skipping)), Map.of());
        } catch (StorageUnavailableException unavailable) {
            throw unavailable;
        } catch (RuntimeException batchFailed) {
            // One checkout that cannot be released fails its whole batch's transaction: find it by
            // taking the batch one checkout at a time, so that every other expiry still happens now.
            return oneByOne(command, now, skipping);
        }
    }

    private ExpiryRun oneByOne(ExpireCheckoutsCommand command, Instant now, Set<PaymentSessionId> skipping) {
        List<PaymentSessionId> expired = new ArrayList<>();
        Map<PaymentSessionId, String> failed = new LinkedHashMap<>();
        Set<PaymentSessionId> skip = new HashSet<>(skipping);
        while (expired.size() + failed.size() < command.batchSize()) {
            List<PaymentSession> claimed = new ArrayList<>(1);
            try {
                List<PaymentSessionId> one = inUnitOfWork(command.actor(), () -> {
                    claimed.clear();
                    claimed.addAll(claimExpiredPaymentSessions.claimExpiredOpenSessions(now, 1, skip));
                    return release(claimed);
                });
                if (one.isEmpty()) {
                    break;
                }
                expired.addAll(one);
            } catch (StorageUnavailableException unavailable) {
                throw unavailable;
            } catch (RuntimeException e) {
                if (claimed.isEmpty()) {
                    throw e;
                }
                PaymentSessionId id = claimed.get(0).id();
                failed.put(id, String.valueOf(e.getMessage()));
                failedUntil.put(id, now.plus(RETRY_FAILED_AFTER));
                skip.add(id);
            }
        }
        return new ExpiryRun(expired, failed);
    }

    private List<PaymentSessionId> expire(Instant now, int batchSize, Set<PaymentSessionId> skipping) {
        // Claimed sessions are locked by this unit of work: concurrent sweepers and payment reports skip or wait.
        return release(claimExpiredPaymentSessions.claimExpiredOpenSessions(now, batchSize, skipping));
    }

    private List<PaymentSessionId> release(List<PaymentSession> claimed) {
        for (PaymentSession session : claimed) {
            seatMoves.releaseSeatsOf(session);
            savePaymentSession.updatePaymentSession(session.expire(), PaymentSessionStatus.OPEN);
        }
        return claimed.stream().map(PaymentSession::id).toList();
    }
}
