package io.ticketing.domain.port.in;

import io.ticketing.domain.model.EventCancellation;

/**
 * → CANCELLED: no more sales or check-ins, and the cascade starts: every open or processing checkout and every
 * booking of the event is cancelled, each paid booking's refund requested, its valid tickets cancelled, and every
 * seat blocked. This call cancels the event and records the cancellation with what there is to undo, in one unit
 * of work; the cascade itself runs in batches ({@link ContinueEventCancellationUseCase}).
 *
 * <p>An event whose cancellation exists already answers it as it is (its first reason stays); an event cancelled
 * before cancellations were recorded gets its cascade now.
 */
public interface CancelEventUseCase {

    EventCancellation cancelEvent(CancelEventCommand command);
}
