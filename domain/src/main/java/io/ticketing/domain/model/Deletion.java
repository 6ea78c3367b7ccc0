package io.ticketing.domain.model;

import java.time.Instant;

/** Soft delete marker: when and by whom. */
public record Deletion(Instant deletedAt, String deletedBy) {

    public Deletion {
        InvalidValueException.required(deletedAt, "deletedAt");
        deletedBy = InvalidValueException.storedText(deletedBy, "deletedBy"); // an actor's audit name, as stored
    }
}
