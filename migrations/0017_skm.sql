-- Issue 14: SKM (Survei Kepuasan Masyarakat, PermenPANRB 14/2017). One row per surveyed request;
-- u1..u9 are the regulation's nine elements (unsur) in its order, on its 1-4 scale; null when the
-- resident skipped it. Never holds the resident's identity.
CREATE TABLE skm_responses (
	id TEXT PRIMARY KEY,
	-- At most one survey per request. Set to null when the request is erased: the anonymous
	-- answers stay in the office's figures.
	request_id TEXT UNIQUE,
	service_code TEXT NOT NULL,
	area_code TEXT NOT NULL,
	started_at INTEGER NOT NULL,
	-- Set when the survey ended (all answered, `lewati`, or left); reports count finished rows.
	finished_at INTEGER,
	u1 INTEGER CHECK (u1 BETWEEN 1 AND 4),
	u2 INTEGER CHECK (u2 BETWEEN 1 AND 4),
	u3 INTEGER CHECK (u3 BETWEEN 1 AND 4),
	u4 INTEGER CHECK (u4 BETWEEN 1 AND 4),
	u5 INTEGER CHECK (u5 BETWEEN 1 AND 4),
	u6 INTEGER CHECK (u6 BETWEEN 1 AND 4),
	u7 INTEGER CHECK (u7 BETWEEN 1 AND 4),
	u8 INTEGER CHECK (u8 BETWEEN 1 AND 4),
	u9 INTEGER CHECK (u9 BETWEEN 1 AND 4),
	suggestion TEXT
);
CREATE INDEX skm_by_finished ON skm_responses (finished_at);
