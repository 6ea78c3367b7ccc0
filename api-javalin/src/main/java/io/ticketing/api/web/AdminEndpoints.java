package io.ticketing.api.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.http.Context;
import io.ticketing.api.web.Views.BookingPageView;
import io.ticketing.api.web.Views.BookingView;
import io.ticketing.api.web.Views.EventPageView;
import io.ticketing.api.web.auth.Role;
import io.ticketing.api.web.problem.ApiException;
import io.ticketing.domain.model.AuditEntry;
import io.ticketing.domain.model.BookingId;
import io.ticketing.domain.model.EventId;
import io.ticketing.domain.port.in.ListBookingsToReviewQuery;
import io.ticketing.domain.port.in.ListEventsQuery;
import io.ticketing.domain.port.in.AuditTrailQuery;
import io.ticketing.domain.port.in.GetAuditTrailUseCase;
import io.ticketing.domain.port.in.ListBookingsToReviewUseCase;
import io.ticketing.domain.port.in.ListEventsUseCase;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The operator's views: every event, deleted ones included, the audit trail, and the bookings to review. */
public final class AdminEndpoints {

    /** One recorded change; the values are JSON objects, as the database recorded them. */
    record AuditEntryView(long id, Instant occurredAt, String actor, String action, String entityType, UUID entityId,
                          UUID eventId, @JsonRawValue String oldValues, @JsonRawValue String newValues) {
        static AuditEntryView of(AuditEntry entry) {
            return new AuditEntryView(entry.id(), entry.occurredAt(), entry.actor(), entry.action(), entry.entityType(),
                    entry.entityId(), entry.eventId(), entry.oldValues(), entry.newValues());
        }
    }

    record AuditPageView(List<AuditEntryView> items, Long nextBefore) {
    }

    private final ListEventsUseCase listEvents;
    private final ListBookingsToReviewUseCase listBookingsToReview;
    private final GetAuditTrailUseCase getAuditTrail;
    private final Callers callers;

    AdminEndpoints(ListEventsUseCase listEvents, ListBookingsToReviewUseCase listBookingsToReview,
                   GetAuditTrailUseCase getAuditTrail, Callers callers) {
        this.listEvents = listEvents;
        this.listBookingsToReview = listBookingsToReview;
        this.getAuditTrail = getAuditTrail;
        this.callers = callers;
    }

    void register(JavalinDefaultRoutingApi routes) {
        routes.get("/admin/events", this::events, Role.ADMIN);
        routes.get("/admin/audit-log", this::auditLog, Role.ADMIN);
        routes.get("/admin/bookings", this::bookings, Role.ADMIN);
    }

    /** The bookings marked for review, oldest first; the only list of bookings an admin has so far. */
    private void bookings(Context ctx) {
        if (!Requests.flag(ctx, "needsReview")) {
            throw ApiException.of(400, "invalid-value", "needsReview=true is required: the admin list of bookings holds those marked for review.");
        }
        UUID after = Requests.optionalCursor(ctx, "after");
        var page = listBookingsToReview.listBookingsToReview(new ListBookingsToReviewQuery(callers.actor(ctx),
                after == null ? null : new BookingId(after), Requests.limit(ctx, 20)));
        ctx.json(new BookingPageView(page.bookings().stream().map(booking -> BookingView.of(booking, true)).toList(),
                page.nextAfter().map(BookingId::value).orElse(null)));
    }

    private void events(Context ctx) {
        UUID after = Requests.optionalCursor(ctx, "after");
        var page = listEvents.listEvents(new ListEventsQuery(callers.actor(ctx),
                Requests.flag(ctx, "includeDeleted"), after == null ? null : new EventId(after),
                Requests.limit(ctx, 20)));
        ctx.json(EventPageView.of(page));
    }

    private void auditLog(Context ctx) {
        String entityType = Requests.query(ctx, "entityType");
        Long before = Requests.optionalNumberCursor(ctx, "before");
        int limit = Requests.limit(ctx, 50);
        List<AuditEntry> entries = getAuditTrail.getAuditTrail(new AuditTrailQuery(callers.actor(ctx),
                Requests.optionalUuidQuery(ctx, "eventId"), entityType, Requests.optionalUuidQuery(ctx, "entityId"), before, limit));
        ctx.json(new AuditPageView(entries.stream().map(AuditEntryView::of).toList(),
                entries.size() == limit ? entries.get(entries.size() - 1).id() : null));
    }
}
