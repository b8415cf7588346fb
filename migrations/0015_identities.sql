-- Issue 17: who a resident is on WhatsApp, and what Meta says about the office's own account.

-- A resident known by a business-scoped user id (BSUID, `US.…`) and, once a message carried
-- both, by a phone number (wa_id). Consulted only for messages that come without a phone number.
CREATE TABLE resident_identities (
	business_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	wa_id TEXT NOT NULL,
	linked_at INTEGER NOT NULL,
	PRIMARY KEY (business_id, user_id)
);

-- Bans, restrictions and quality changes of the office's WhatsApp account, for admins.
-- `fingerprint` (SHA-256 of the change) keeps a redelivered webhook from adding a second row.
CREATE TABLE account_alerts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	fingerprint TEXT NOT NULL UNIQUE,
	received_at INTEGER NOT NULL,
	account_id TEXT NOT NULL,
	field TEXT NOT NULL,
	event TEXT NOT NULL,
	detail TEXT NOT NULL CHECK (json_valid(detail))
);
CREATE INDEX account_alerts_by_time ON account_alerts (received_at);

-- Events about a resident's identity (a number change), kept without the numbers themselves.
CREATE TABLE resident_events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at INTEGER NOT NULL,
	kind TEXT NOT NULL,
	business_id TEXT NOT NULL,
	detail TEXT NOT NULL CHECK (json_valid(detail))
);
