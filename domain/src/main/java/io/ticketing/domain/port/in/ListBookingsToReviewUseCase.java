package io.ticketing.domain.port.in;

/** The bookings an operator should look at (those with a review reason), oldest first, by keyset pages; operators only. */
public interface ListBookingsToReviewUseCase {

    BookingPage listBookingsToReview(ListBookingsToReviewQuery query);
}
