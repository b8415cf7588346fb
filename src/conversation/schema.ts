/**
 * The Conversation object's SQLite schema. The tables are plain row stores without secondary
 * indexes: one resident's tables hold tens or hundreds of rows, so a scan costs microseconds,
 * while each index would be another billed row written on every insert and update. The one
 * exception is partial (`outbox_unsent`): a question every step asks, over rows the usual message
 * never puts in it.
 */

/** Tables and views the first migrations created as they still are, shared with the fresh schema. */
const DELIVERY_STATUSES = `
	-- Delivery statuses of messages we sent, one row per (message, state), with their errors.
	CREATE TABLE delivery_statuses (
		message_id TEXT NOT NULL,
		state TEXT NOT NULL,
		at INTEGER NOT NULL,
		errors TEXT NOT NULL,
		received_at INTEGER NOT NULL,
		PRIMARY KEY (message_id, state)
	) WITHOUT ROWID;
`;
/** The jobs table, with `later` columns added at its end (the fresh schema's; none at first). */
const jobsTable = (later = "") => `
	-- Effects with I/O other than sending (downloads, submissions, lookups), run in seq order;
	-- while one is pending the inbox waits, so messages are handled after it.
	CREATE TABLE jobs (
		id TEXT PRIMARY KEY,
		seq INTEGER NOT NULL,
		kind TEXT NOT NULL,
		payload TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		last_error TEXT${later}
	) WITHOUT ROWID;
`;
/** The jobs table as the first migration created it. */
const JOBS = jobsTable();
const DEAD_JOBS = `
	-- Jobs that had their tries (attempt or age cap): kept here with their payload (which may hold
	-- a draft's NIK and name, so it never leaves the object) until an admin retries them. D1's
	-- dead_letters holds what admins see; reported = 1 once it has this row.
	CREATE TABLE dead_jobs (
		job_id TEXT PRIMARY KEY,
		letter_id TEXT NOT NULL,
		kind TEXT NOT NULL,
		payload TEXT NOT NULL,
		request_id TEXT,
		attempts INTEGER NOT NULL,
		first_at INTEGER NOT NULL,
		last_at INTEGER NOT NULL,
		error TEXT NOT NULL,
		reported INTEGER NOT NULL DEFAULT 0
	) WITHOUT ROWID;
`;
const UNHANDLED_INBOX = `
	-- The messages still to handle, whichever way their handling was recorded.
	CREATE VIEW unhandled_inbox AS
		SELECT inbox.message_id, inbox.sent_at, inbox.arrival, inbox.event, inbox.late
		FROM inbox LEFT JOIN kv AS mark ON mark.key = 'state'
		WHERE inbox.processed_at IS NULL AND (inbox.late = 1 OR mark.handled_id IS NULL
			OR (inbox.sent_at, inbox.arrival, inbox.message_id)
				> (mark.handled_sent_at, mark.handled_arrival, mark.handled_id));
`;

/**
 * The outbox's messages still to send, found without reading the ones sent (a long chat keeps
 * hundreds; every step asks whether anything is unsent). A reply sent ahead of its step is written
 * as sent and never enters the index, so the usual message costs no row for it; a queued one costs
 * one on entering and one on leaving. A query uses it only when it names the same condition
 * (`UNSENT` in store/outbox.ts).
 */
const OUTBOX_UNSENT = `
	CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (seq) WHERE state IN ('pending', 'waiting');
`;

/**
 * Applied in order and recorded in `kv.schema_version`, so that a deployed object upgrades itself
 * on its next start. Append only from the first release on (and rewrite CONVERSATION_SCHEMA).
 */
export const CONVERSATION_MIGRATIONS: readonly string[] = [
	`
	-- Every message received, kept past Meta's 7-day redelivery horizon for dedupe.
	CREATE TABLE inbox (
		message_id TEXT PRIMARY KEY,
		sent_at INTEGER NOT NULL,
		received_at INTEGER NOT NULL,
		-- Arrival order (received_at in microseconds plus the position in its delivery).
		arrival INTEGER NOT NULL,
		event TEXT NOT NULL,
		processed_at INTEGER,
		-- Which request the message belonged to, for the staff's transcript.
		request_id TEXT
	) WITHOUT ROWID;
${DELIVERY_STATUSES}
	-- Messages to the resident, sent in seq order; retried with backoff, kept when dead.
	CREATE TABLE outbox (
		seq INTEGER PRIMARY KEY,
		payload TEXT NOT NULL,
		-- pending: to send at next_at; sent; waiting: needs the 24-hour window to reopen; dead: gave up.
		state TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		sent_at INTEGER,
		wamid TEXT,
		delivery TEXT,
		last_error TEXT,
		-- A short text for the status template when the window is closed (staff notices).
		notice TEXT,
		request_id TEXT
	);
${JOBS}
	`,
	`
	-- A reply about several requests (the status list) belongs to none of them: request_id stays
	-- NULL and this JSON array names the request ids it mentions, so staff see it only when they
	-- may see every one of them.
	ALTER TABLE outbox ADD COLUMN mentions TEXT;
${DEAD_JOBS}
	`,
	`
	-- How far the inbox has been handled, on the dialogue's state row, so that a message's step
	-- writes that one row instead of also marking the message: a message at or before this point,
	-- in the order messages are handled (sent_at, arrival, message_id), has been handled, unless it
	-- arrived after the point had passed it (late = 1), which is marked on its own row as before.
	ALTER TABLE kv ADD COLUMN handled_sent_at INTEGER;
	ALTER TABLE kv ADD COLUMN handled_arrival INTEGER;
	ALTER TABLE kv ADD COLUMN handled_id TEXT;
	ALTER TABLE inbox ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
${UNHANDLED_INBOX}
	`,
	`
	-- The identity in one kv row (each row written is billed): a JSON object in KvState's key
	-- order (channel, businessId, residentId, then profileName only when known), so the next
	-- delivery of the same identity finds the same text and writes nothing.
	INSERT INTO kv (key, value)
	SELECT 'identity', CASE
		WHEN name.value IS NULL THEN json_object(
			'channel', coalesce(channel.value, 'whatsapp'),
			'businessId', business.value,
			'residentId', coalesce(resident.value, ''))
		ELSE json_object(
			'channel', coalesce(channel.value, 'whatsapp'),
			'businessId', business.value,
			'residentId', coalesce(resident.value, ''),
			'profileName', name.value)
		END
	FROM kv AS business
	LEFT JOIN kv AS channel ON channel.key = 'channel'
	LEFT JOIN kv AS resident ON resident.key = 'resident_id'
	LEFT JOIN kv AS name ON name.key = 'profile_name'
	WHERE business.key = 'business_id';
	DELETE FROM kv WHERE key IN ('channel', 'business_id', 'resident_id', 'profile_name');
	`,
	OUTBOX_UNSENT,
	`
	-- When a job's age cap counts from, when not from created_at: the end of its last hold (the
	-- channel refused the office's credentials, an outage of ours), so that the outage's length
	-- does not age the job out once the credentials work again.
	ALTER TABLE jobs ADD COLUMN age_from INTEGER;
	`,
];

/**
 * The schema the migrations above arrive at, written whole, for a new object: one statement
 * instead of the migrations' fourteen (each ALTER makes SQLite read the schema again; creating it
 * is most of a new resident's first message). Columns in the order the migrations leave them
 * (test/conversation/schema.test.ts compares the two). Rewrite it with each new migration.
 */
export const CONVERSATION_SCHEMA = `
	CREATE TABLE kv (
		key TEXT PRIMARY KEY,
		value TEXT NOT NULL,
		handled_sent_at INTEGER,
		handled_arrival INTEGER,
		handled_id TEXT
	) WITHOUT ROWID;
	CREATE TABLE inbox (
		message_id TEXT PRIMARY KEY,
		sent_at INTEGER NOT NULL,
		received_at INTEGER NOT NULL,
		arrival INTEGER NOT NULL,
		event TEXT NOT NULL,
		processed_at INTEGER,
		request_id TEXT,
		late INTEGER NOT NULL DEFAULT 0
	) WITHOUT ROWID;
	CREATE TABLE outbox (
		seq INTEGER PRIMARY KEY,
		payload TEXT NOT NULL,
		state TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		sent_at INTEGER,
		wamid TEXT,
		delivery TEXT,
		last_error TEXT,
		notice TEXT,
		request_id TEXT,
		mentions TEXT
	);
${OUTBOX_UNSENT}
${DELIVERY_STATUSES}
${jobsTable(",\n\t\tage_from INTEGER")}
${DEAD_JOBS}
${UNHANDLED_INBOX}
`;

/** The kv table as the first release created it, before the migrations (it holds the version). */
export const KV_TABLE =
	"CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID";

/**
 * Objects created by development builds before the first release kept their schema version in a
 * `schema_migrations` table; their (local, test-only) data is dropped and the schema rebuilt.
 */
export const PRE_RELEASE_TABLES = [
	"schema_migrations",
	"kv",
	"inbox",
	"delivery_statuses",
	"outbox",
	"jobs",
	"dead_jobs",
];
