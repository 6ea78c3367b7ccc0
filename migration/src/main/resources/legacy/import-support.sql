-- The legacy import's own objects. {i} is the import schema (ticketing_import), or pg_temp when
-- `legacy plan` rehearses the import in temporary tables. Idempotent: every run re-applies it.

CREATE TABLE IF NOT EXISTS {i}.quarantine (
    table_name     text        NOT NULL,
    -- The legacy id, whole; a pair's is ImportStep.pairKey's name of its two ids.
    legacy_id      text        NOT NULL,
    -- The legacy id the batch was keyed on (a join row's payment session), to redo a batch.
    batch_key      text        NOT NULL,
    reason         text        NOT NULL,
    payload        jsonb       NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now()
);
-- Unique by digest and found by hash, not by the ids themselves: a btree entry holds some 2,700 bytes, and a legacy id may
-- be that long (a pair of them twice that, a booking's seat entry any length). Earlier versions keyed the ids.
ALTER TABLE {i}.quarantine DROP CONSTRAINT IF EXISTS quarantine_pkey;
DROP INDEX IF EXISTS {i}.quarantine_batch_key_idx;
CREATE UNIQUE INDEX IF NOT EXISTS quarantine_key ON {i}.quarantine (table_name, md5(legacy_id));
CREATE INDEX IF NOT EXISTS quarantine_legacy_id_hash ON {i}.quarantine USING hash (legacy_id);
CREATE INDEX IF NOT EXISTS quarantine_batch_key_hash ON {i}.quarantine USING hash (batch_key);

-- One row per step (legacy table); each batch commits together with its checkpoint.
CREATE TABLE IF NOT EXISTS {i}.progress (
    step       text        NOT NULL PRIMARY KEY,
    last_id    text,
    rows_done  bigint      NOT NULL DEFAULT 0,
    batches    bigint      NOT NULL DEFAULT 0,
    done       boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- started_at: first start; cutover_at: end of the first final catch-up (rows of the new schema
-- changed after it were changed by the new application, and `rollback` carries them back; a
-- repeat import keeps it, and refuses once the new application has written).
CREATE TABLE IF NOT EXISTS {i}.run (
    id         boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (id),
    started_at timestamptz NOT NULL DEFAULT now(),
    copied_at  timestamptz,
    cutover_at timestamptz,
    currency   text        NOT NULL
);
-- The copy's connections, fixed at the first start: each keeps its own checkpoints (an import begun
-- before this column existed copied on one).
ALTER TABLE {i}.run ADD COLUMN IF NOT EXISTS workers int NOT NULL DEFAULT 1;
-- The end of the import's latest catch-up transaction: a row of the new schema changed after it was
-- changed by the new application (cutover_at, by contrast, stays the first cut-over's time).
ALTER TABLE {i}.run ADD COLUMN IF NOT EXISTS caught_up_at timestamptz;
-- A catch-up round with the triggers off left the summaries to a recount (before the cut-over), kept
-- here so that a run killed in between recounts when it resumes.
ALTER TABLE {i}.run ADD COLUMN IF NOT EXISTS summaries_stale boolean NOT NULL DEFAULT false;
-- Which emails the database and the Java of the first run lower differently (a fingerprint of email_case_apart's
-- letters, EmailCase.java), and that Java's version: a resume that decides otherwise is refused, since it would decide
-- anew only the users changed since.
ALTER TABLE {i}.run ADD COLUMN IF NOT EXISTS email_case text;
ALTER TABLE {i}.run ADD COLUMN IF NOT EXISTS email_case_java text;

-- Every claim of an active booking (PENDING or CONFIRMED) on a seat it could be migrated with,
-- recorded before any booking is copied and kept current by the catch-up: the earliest claim by
-- (created_at, booking legacy id) holds the seat, later ones are quarantined booking-seat pairs.
-- It also finds every booking that lists a given seat, which the catch-up needs.
CREATE TABLE IF NOT EXISTS {i}.seat_claim (
    seat_legacy_id    text        NOT NULL,
    created_at        timestamptz NOT NULL,
    booking_legacy_id text        NOT NULL,
    PRIMARY KEY (seat_legacy_id, created_at, booking_legacy_id)
);
CREATE INDEX IF NOT EXISTS seat_claim_booking_idx ON {i}.seat_claim (booking_legacy_id);

-- The new schema's non-unique indexes, and the unique and primary keys the copy cannot break
-- (ImportStep.deferredKeys) with the foreign keys that reference them, that the copy dropped, to build them once
-- over the copied rows (a bulk load maintains them row by row at several times the cost); the definition is the
-- statement that builds one again, table_name the table whose step builds it (for a foreign key, the table it
-- references), in build_order (a key before the foreign keys that reference it). Built again and deleted from
-- here before anything reads the tables. Kept in a table, so that a run killed meanwhile still
-- builds them when it resumes.
CREATE TABLE IF NOT EXISTS {i}.deferred_index (
    index_name text NOT NULL PRIMARY KEY,
    table_name text NOT NULL,
    definition text NOT NULL
);
ALTER TABLE {i}.deferred_index ADD COLUMN IF NOT EXISTS build_order integer NOT NULL DEFAULT 0;

-- The tickets the import issued itself (ImportStep.RECONCILE): for a seat of a confirmed legacy booking that had no
-- valid ticket of it (none, or one quarantined), since the new schema requires one per seat. Neither migrated nor the
-- application's: rollback does not carry them back; withdrawn when the legacy booking stops needing them.
CREATE TABLE IF NOT EXISTS {i}.issued_ticket (
    event_id   uuid        NOT NULL,
    ticket_id  uuid        NOT NULL,
    booking_id uuid        NOT NULL,
    seat_id    uuid        NOT NULL,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, ticket_id)
);
CREATE INDEX IF NOT EXISTS issued_ticket_booking_idx ON {i}.issued_ticket (event_id, booking_id);

-- Filled by the capture triggers on the legacy tables while the import runs. before: the row as it was before an update
-- or a delete (in the entry of its old id): what rollback merges the new application's changes onto, column by column.
CREATE TABLE IF NOT EXISTS {i}.legacy_change (
    seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text        NOT NULL,
    legacy_id  text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    before     jsonb
);
-- An import an earlier version began logged no before: added only where missing, so that a resumed import does not wait
-- for the legacy app's open transactions (its triggers write this table) to take the table's lock.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{i}.legacy_change'::regclass AND attname = 'before' AND NOT attisdropped) THEN
        ALTER TABLE {i}.legacy_change ADD COLUMN before jsonb;
    END IF;
END
$$;

-- A legacy id in the canonical (lower-case) form of a UUID. A LIKE (length, dashes) and a regex without
-- counted repetitions: the regex '^[0-9a-f]{8}-…' alone cost some 8 µs a row, more than the rest of
-- legacy_uuid. Not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.is_uuid(legacy_id text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT legacy_id LIKE '________-____-____-____-____________'
           AND legacy_id ~ '^[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$'
$$;

-- Deterministic ids: a legacy id that is a UUID in canonical (lower-case) form stays that UUID; any
-- other (cuid, an upper-case UUID, …) becomes the
-- name-based UUID (version 3, RFC 4122; java.util.UUID.nameUUIDFromBytes) of
-- 'ticketing-legacy:<kind>:<legacy id>': its md5 with the version digit (13th) set to 3 and the
-- variant digit (17th) to 8, 9, a or b. The original is kept in legacy_id.
-- One plain expression, neither STRICT nor with a sub-select, so that PostgreSQL inlines it into
-- the import's statements: called as a function it cost more than the rest of a row's work. Case
-- matters: 'AB…' and 'ab…' are two legacy rows, and must not become one UUID.
CREATE OR REPLACE FUNCTION {i}.legacy_uuid(kind text, legacy_id text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN {i}.is_uuid(legacy_id) THEN legacy_id::uuid
        ELSE overlay(overlay(md5('ticketing-legacy:' || kind || ':' || legacy_id) PLACING '3' FROM 13 FOR 1)
                     PLACING translate(substr(md5('ticketing-legacy:' || kind || ':' || legacy_id), 17, 1),
                                       '0123456789abcdef', '89ab89ab89ab89ab')
                     FROM 17 FOR 1)::uuid
    END
$$;

-- ' Checked In ' -> 'checked_in': case, surrounding and inner spaces, hyphens do not matter.
-- Not STRICT, so that it is inlined (see legacy_uuid); a null gives null all the same.
CREATE OR REPLACE FUNCTION {i}.norm_status(raw text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT lower(regexp_replace(regexp_replace(raw, '^\s+|\s+$', '', 'g'), '[\s_-]+', '_', 'g'))
$$;

-- Booking.seats: an array of seat ids, or a JSON string holding one (double-encoded, maybe more
-- than once). problem is null when ids could be read. decode_seats takes the common case (an
-- array of strings) in plain SQL, which PostgreSQL inlines; PL/pgSQL cost some 20 µs a booking.
-- Both are PARALLEL UNSAFE: the slow path's exception block is a subtransaction, which a parallel
-- worker may not start (a query planned in parallel on their word failed with "cannot start
-- subtransactions during a parallel operation").
DROP FUNCTION IF EXISTS {i}.decode_seats(jsonb);
CREATE OR REPLACE FUNCTION {i}.decode_seats_slowly(j jsonb, OUT ids text[], OUT problem text, OUT double_encoded boolean)
    LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE
AS $$
DECLARE
    depth int := 0;
BEGIN
    double_encoded := false;
    WHILE jsonb_typeof(j) = 'string' AND depth < 3 LOOP
        BEGIN
            j := (j #>> '{}')::jsonb;
        EXCEPTION WHEN invalid_text_representation THEN
            problem := 'malformed JSON';
            RETURN;
        END;
        double_encoded := true;
        depth := depth + 1;
    END LOOP;
    IF jsonb_typeof(j) IS DISTINCT FROM 'array' THEN
        problem := 'non-array JSON';
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(j) AS e WHERE jsonb_typeof(e) <> 'string') THEN
        problem := 'seat id not a string';
        RETURN;
    END IF;
    SELECT coalesce(array_agg(e ORDER BY o), '{}') INTO ids FROM jsonb_array_elements_text(j) WITH ORDINALITY AS x(e, o);
END
$$;

CREATE FUNCTION {i}.decode_seats(j jsonb) RETURNS TABLE (ids text[], problem text, double_encoded boolean)
    LANGUAGE sql IMMUTABLE PARALLEL UNSAFE
AS $$
    SELECT ARRAY(SELECT e FROM jsonb_array_elements_text(j) WITH ORDINALITY AS x(e, o) ORDER BY o), NULL::text, false
     WHERE jsonb_typeof(j) = 'array' AND NOT jsonb_path_exists(j, '$[*] ? (@.type() != "string")')
    UNION ALL
    SELECT s.ids, s.problem, s.double_encoded FROM {i}.decode_seats_slowly(j) s
     WHERE jsonb_typeof(j) IS DISTINCT FROM 'array' OR jsonb_path_exists(j, '$[*] ? (@.type() != "string")')
$$;

-- A seat's status in the new schema must agree with its claims (the database guards it, V9): in an
-- active claim of a confirmed booking it is BOOKED; held by a pending booking or an open checkout it is
-- RESERVED; otherwise its legacy status, except that a hold without any claim (RESERVED) is AVAILABLE
-- again, and a seat sold without a migrated booking (it was quarantined) is BLOCKED: not for sale until
-- its booking is repaired and imported (BOOKED then) or an admin releases it.
CREATE OR REPLACE FUNCTION {i}.expected_seat_status(legacy_status text, confirmed_claim boolean, held boolean) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN confirmed_claim THEN 'BOOKED'
        WHEN held THEN 'RESERVED'
        WHEN legacy_status = 'RESERVED' THEN 'AVAILABLE'
        WHEN legacy_status = 'BOOKED' THEN 'BLOCKED'
        ELSE legacy_status
    END
$$;

-- When the import began (now() for `plan`): the reference for what was already over before it.
CREATE OR REPLACE FUNCTION {i}.import_started() RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce((SELECT started_at FROM {i}.run), now())
$$;

-- Whether a legacy text shows something (else a blank title, section or row is quarantined): V20's
-- ticketing.has_visible_text, the application's rule, copied because `legacy plan` may run before the
-- schema exists; HostileLegacyDataTest holds the two to each other. Null for null; not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.has_visible_text(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ascii(t) BETWEEN 33 AND 126 OR t ~ '[^\u0001-\u0020\u007f-\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
$$;

-- Whether the payment webhook can name a checkout by this legacy id, as PaymentSessionId.knownAs decides: not empty,
-- at most 255 characters, none of them one that shows nothing (has_visible_text's class). A running checkout it cannot
-- name is never paid in the new application, and a PROCESSING one never expires: the import marks its booking for
-- review (ImportStep.PAYMENT_SESSION). Null for null.
CREATE OR REPLACE FUNCTION {i}.webhook_can_name(id text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT id <> '' AND char_length(id) <= 255
       AND id !~ '[\u0001-\u0020\u007f-\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
$$;

-- What shows nothing taken off both ends of a legacy text, as VisibleText.strip does: has_visible_text's class, less
-- the tag characters U+E0020..U+E007F, which strip keeps. A text that starts and ends with a visible ASCII character,
-- as nearly every one does, is answered without the regex. Null for null; not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.visible_strip(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN ascii(t) BETWEEN 33 AND 126 AND ascii(right(t, 1)) BETWEEN 33 AND 126 THEN t
                ELSE regexp_replace(t, '^[\u0001-\u0020\u007f-\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001]+|[\u0001-\u0020\u007f-\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001]+$', '', 'g') END
$$;

-- How normal_email (below) lowers an address beyond ASCII, on its own: EmailCase compares it with the JVM's lower case,
-- code point by code point. Null for null; not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.unicode_lower(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT lower(t{email_case}) COLLATE "default"
$$;

-- A legacy email as the application normalizes one (Customer.accountEmail), so that a migrated customer signs in
-- by the address they type: visible_strip, then lower case as Java's toLowerCase(Locale.ROOT) makes it. An address
-- in ASCII, as nearly every one is (as many bytes as characters), by the C rules: A to Z, whatever the database's
-- LC_CTYPE (a Turkish one lowers 'I' to a dotless 'ı'). Any other by Unicode's rules, with ICU's root collation
-- ({email_case}: COLLATE "und-x-icu" where the server has ICU, as Debian's and the embedded PostgreSQL have): the
-- database's own lower() may lower ASCII only (the C locale), and even a UTF-8 one knows no final sigma ('ΣΑΣ@' is
-- 'σας@' to Java) and lowers 'İ' to one code point, not two; a migrated customer whose address holds such a letter
-- in upper case would not be found when they sign in. Without ICU, lower() as it is. (200,000 ASCII addresses: the
-- C rules 0.16 s, the database's lower() 0.32 s, ICU 0.61 s.) The result in the database's collation, as the
-- customers' emails it is compared with. Null for null; not STRICT, so that it is inlined. Where the server's Unicode
-- and the JVM's part ways on a letter, the address is quarantined instead (email_case_apart, EmailCase.java).
CREATE OR REPLACE FUNCTION {i}.normal_email(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN octet_length(t) = length(t) THEN lower({i}.visible_strip(t) COLLATE "C") COLLATE "default"
                ELSE {i}.unicode_lower({i}.visible_strip(t)) END
$$;

-- A legacy id longer than the import's keys take: quarantined ('id longer than 1000 bytes'). A btree entry holds some
-- 2,700 bytes, and a key may hold two ids (seat_claim's) or an id and more (the new schema's legacy_id keys). Not STRICT,
-- so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.long_id(legacy_id text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT octet_length(legacy_id) > 1000
$$;

-- A legacy timestamp the new application cannot carry: infinity, before year 1 or after 9999 (its
-- API speaks ISO 8601 with four-digit years). Null for null. Not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION {i}.far_date(t timestamp) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT NOT (t BETWEEN '0001-01-01 00:00:00' AND '9999-12-31 23:59:59.999')
$$;
