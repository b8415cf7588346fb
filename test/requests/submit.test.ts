import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { residentRequestByTicket, residentRequests } from "../../src/requests/queries";
import { type NewRequest, submitRequest } from "../../src/requests/submit";
import { formatTicket, ticketDay } from "../../src/requests/tickets";

/** The service-standard figures of a request submitted without a schedule. */
const NO_SCHEDULE = { queueDate: null, queuePosition: null, dueDate: null };

const OFFICE = "PBM";
const BUSINESS_ID = "106540352242922";
const SHA = "a".repeat(64);
/** Attachment ids are random: never derived from the WhatsApp message id (it encodes the phone). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A WhatsApp request for a lost KTP-el. Each test gives its own day (the counters are shared by
 * the tests of this file) and its own resident.
 */
function newRequest(overrides: Partial<NewRequest> & { submittedAt: number }): NewRequest {
	const id = overrides.id ?? crypto.randomUUID();
	return {
		id,
		channel: "whatsapp",
		businessId: BUSINESS_ID,
		residentId: "6281234567890",
		residentPhone: "6281234567890",
		residentName: "Siti Aminah",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "ktp_el",
		variantCode: "hilang",
		areaCode: "16.74.01.1001",
		language: "id",
		attachments: [
			{
				docCode: "kk",
				key: `requests/${id}/kk/wamid.kk`,
				mimeType: "image/jpeg",
				size: 123456,
				sha256: SHA,
				messageId: "wamid.kk",
			},
			{
				docCode: "surat_kehilangan",
				key: `requests/${id}/surat_kehilangan/wamid.letter`,
				mimeType: "application/pdf",
				size: 65432,
				sha256: "0123456789abcdef".repeat(4),
				fileName: "surat polisi.pdf",
				messageId: "wamid.letter",
			},
		],
		...overrides,
	};
}

async function count(sql: string, ...params: string[]): Promise<number> {
	const row = await env.DB.prepare(sql)
		.bind(...params)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

async function lastNumber(day: string): Promise<number | null> {
	const row = await env.DB.prepare("SELECT last FROM ticket_counters WHERE day = ?")
		.bind(day)
		.first<{ last: number }>();
	return row?.last ?? null;
}

describe("submitRequest", () => {
	it("gives the first request of a day 0001 and the next 0002", async () => {
		const at = Date.parse("2026-11-28T02:00:00Z");
		const first = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }));
		const second = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at + 60_000 }));
		expect(first).toEqual({ ticket: "PBM-261128-0001", created: true, ...NO_SCHEDULE });
		expect(second).toEqual({ ticket: "PBM-261128-0002", created: true, ...NO_SCHEDULE });
	});

	it("dates the ticket in the office's time zone", async () => {
		// 17:30 UTC on 1 December is 00:30 WIB on 2 December.
		const at = Date.parse("2026-12-01T17:30:00Z");
		const wib = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }));
		expect(wib.ticket).toBe("PBM-261202-0001");
		const utc = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }), "UTC");
		expect(utc.ticket).toBe("PBM-261201-0001");
	});

	it("writes the request, its attachments and its submitted event", async () => {
		const at = Date.parse("2026-11-03T03:04:05Z");
		const request = newRequest({
			submittedAt: at,
			nikWarnings: ["impossible_date"],
			language: "en",
		});
		const { ticket } = await submitRequest(env.DB, OFFICE, request);

		const row = await env.DB.prepare("SELECT * FROM requests WHERE id = ?")
			.bind(request.id)
			.first();
		expect(row).toEqual({
			id: request.id,
			ticket,
			channel: "whatsapp",
			business_id: BUSINESS_ID,
			resident_id: "6281234567890",
			resident_phone: "6281234567890",
			resident_name: "Siti Aminah",
			nik: "1674015203900001",
			nik_warnings: '["impossible_date"]',
			service_code: "ktp_el",
			variant_code: "hilang",
			area_code: "16.74.01.1001",
			status: "submitted",
			version: 1,
			language: "en",
			submitted_by: null,
			created_at: at,
			updated_at: at,
			closed_at: null,
			queue_date: null,
			queue_position: null,
			due_date: null,
			purged_at: null,
			erased_at: null,
			// Migration 0025: a KTP-el is the applicant's own, so no subject.
			subject_kind: null,
			subject_nik: null,
			subject_text: null,
		});

		const { results: attachments } = await env.DB.prepare(
			"SELECT * FROM attachments WHERE request_id = ? ORDER BY doc_code",
		)
			.bind(request.id)
			.all();
		expect(attachments).toEqual([
			{
				id: expect.stringMatching(UUID),
				request_id: request.id,
				doc_code: "kk",
				r2_key: `requests/${request.id}/kk/wamid.kk`,
				mime_type: "image/jpeg",
				size: 123456,
				sha256: SHA,
				file_name: null,
				message_id: "wamid.kk",
				state: "active",
				purged_at: null,
				created_at: at,
			},
			{
				id: expect.stringMatching(UUID),
				request_id: request.id,
				doc_code: "surat_kehilangan",
				r2_key: `requests/${request.id}/surat_kehilangan/wamid.letter`,
				mime_type: "application/pdf",
				size: 65432,
				sha256: "0123456789abcdef".repeat(4),
				file_name: "surat polisi.pdf",
				message_id: "wamid.letter",
				state: "active",
				purged_at: null,
				created_at: at,
			},
		]);

		const { results: events } = await env.DB.prepare(
			"SELECT * FROM request_events WHERE request_id = ?",
		)
			.bind(request.id)
			.all();
		expect(events).toEqual([
			{
				id: `${request.id}:submitted`,
				request_id: request.id,
				at,
				actor: "resident",
				from_status: null,
				to_status: "submitted",
				reason: null,
				detail: null,
			},
		]);
	});

	it("records the kelurahan operator as the actor of an assisted submission", async () => {
		const request = newRequest({
			submittedAt: Date.parse("2026-11-04T03:00:00Z"),
			channel: "kelurahan",
			businessId: undefined,
			residentId: undefined,
			submittedBy: "op-17",
			attachments: [
				{ docCode: "kk", key: "requests/kel-1/kk/0", mimeType: "image/png", size: 10, sha256: SHA },
			],
		});
		expect(await submitRequest(env.DB, OFFICE, request)).toEqual({
			ticket: "PBM-261104-0001",
			created: true,
			...NO_SCHEDULE,
		});
		const event = await env.DB.prepare("SELECT actor FROM request_events WHERE request_id = ?")
			.bind(request.id)
			.first<{ actor: string }>();
		expect(event?.actor).toBe("staff:op-17");
		const attachment = await env.DB.prepare("SELECT id FROM attachments WHERE request_id = ?")
			.bind(request.id)
			.first<{ id: string }>();
		expect(attachment?.id).toMatch(UUID);
		const row = await env.DB.prepare("SELECT submitted_by, business_id FROM requests WHERE id = ?")
			.bind(request.id)
			.first();
		expect(row).toEqual({ submitted_by: "op-17", business_id: null });
	});

	it("writes a request submitted twice only once, and uses one number", async () => {
		const at = Date.parse("2026-11-05T03:00:00Z");
		const request = newRequest({ submittedAt: at });
		const first = await submitRequest(env.DB, OFFICE, request);
		// A retry after a crash may come later, even on another day.
		const again = await submitRequest(env.DB, OFFICE, {
			...request,
			submittedAt: at + 86_400_000,
		});
		expect(first).toEqual({ ticket: "PBM-261105-0001", created: true, ...NO_SCHEDULE });
		expect(again).toEqual({ ticket: "PBM-261105-0001", created: false, ...NO_SCHEDULE });

		expect(await count("SELECT count(*) AS n FROM requests WHERE id = ?", request.id)).toBe(1);
		expect(
			await count("SELECT count(*) AS n FROM attachments WHERE request_id = ?", request.id),
		).toBe(2);
		expect(
			await count("SELECT count(*) AS n FROM request_events WHERE request_id = ?", request.id),
		).toBe(1);
		expect(await lastNumber("261105")).toBe(1);
		expect(await lastNumber("261106")).toBe(0);

		const next = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at + 1 }));
		expect(next).toEqual({ ticket: "PBM-261105-0002", created: true, ...NO_SCHEDULE });
	});

	it("writes a request submitted twice at once only once, and uses one number", async () => {
		const at = Date.parse("2026-11-06T03:00:00Z");
		const request = newRequest({ submittedAt: at });
		const results = await Promise.all([
			submitRequest(env.DB, OFFICE, request),
			submitRequest(env.DB, OFFICE, request),
			submitRequest(env.DB, OFFICE, request),
		]);
		expect(results.map((r) => r.ticket)).toEqual([
			"PBM-261106-0001",
			"PBM-261106-0001",
			"PBM-261106-0001",
		]);
		expect(results.filter((r) => r.created)).toHaveLength(1);

		expect(await count("SELECT count(*) AS n FROM requests WHERE id = ?", request.id)).toBe(1);
		expect(
			await count("SELECT count(*) AS n FROM attachments WHERE request_id = ?", request.id),
		).toBe(2);
		expect(
			await count("SELECT count(*) AS n FROM request_events WHERE request_id = ?", request.id),
		).toBe(1);
		expect(await lastNumber("261106")).toBe(1);

		const next = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at + 1 }));
		expect(next.ticket).toBe("PBM-261106-0002");
	});

	it("adds no attachments when a repeated submission carries other files", async () => {
		const request = newRequest({ submittedAt: Date.parse("2026-11-07T03:00:00Z") });
		await submitRequest(env.DB, OFFICE, request);
		const extra = {
			docCode: "kk",
			key: `requests/${request.id}/kk/wamid.other`,
			mimeType: "image/jpeg",
			size: 1,
			sha256: SHA,
			messageId: "wamid.other",
		};
		const again = await submitRequest(env.DB, OFFICE, {
			...request,
			attachments: [...request.attachments, extra],
		});
		expect(again.created).toBe(false);
		expect(
			await count("SELECT count(*) AS n FROM attachments WHERE request_id = ?", request.id),
		).toBe(2);
	});

	it("writes nothing and uses no number when the area is unknown", async () => {
		const at = Date.parse("2026-11-08T03:00:00Z");
		const request = newRequest({ submittedAt: at, areaCode: "99.99.99.9999" });
		await expect(submitRequest(env.DB, OFFICE, request)).rejects.toThrow(/FOREIGN KEY/);
		expect(await count("SELECT count(*) AS n FROM requests WHERE id = ?", request.id)).toBe(0);
		expect(
			await count("SELECT count(*) AS n FROM attachments WHERE request_id = ?", request.id),
		).toBe(0);
		expect(await lastNumber("261108")).toBeNull();

		const next = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }));
		expect(next.ticket).toBe("PBM-261108-0001");
	});

	it("grows the sequence beyond four digits after 9999", async () => {
		const at = Date.parse("2026-11-09T03:00:00Z");
		const day = ticketDay(at);
		await env.DB.prepare("INSERT INTO ticket_counters (day, last) VALUES (?, 9998)")
			.bind(day)
			.run();
		const a = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }));
		const b = await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at }));
		expect(a.ticket).toBe(formatTicket(OFFICE, day, 9999));
		expect(b.ticket).toBe(formatTicket(OFFICE, day, 10000));
		expect(b.ticket).toBe("PBM-261109-10000");
	});

	it("refuses malformed input before touching the database", async () => {
		const at = Date.parse("2026-11-10T03:00:00Z");
		await expect(submitRequest(env.DB, "pbm", newRequest({ submittedAt: at }))).rejects.toThrow(
			RangeError,
		);
		await expect(
			submitRequest(env.DB, OFFICE, newRequest({ submittedAt: at, residentId: undefined })),
		).rejects.toThrow(TypeError);
		await expect(
			submitRequest(
				env.DB,
				OFFICE,
				newRequest({ submittedAt: at, channel: "kelurahan", submittedBy: undefined }),
			),
		).rejects.toThrow(TypeError);
		expect(await lastNumber("261110")).toBeNull();
	});
});

describe("residentRequests", () => {
	it("lists only the resident's requests, newest first, up to the limit", async () => {
		const residentId = "6281100000001";
		const base = Date.parse("2026-11-11T03:00:00Z");
		const tickets: string[] = [];
		for (let i = 0; i < 4; i++) {
			const { ticket } = await submitRequest(
				env.DB,
				OFFICE,
				newRequest({ submittedAt: base + i * 60_000, residentId }),
			);
			tickets.push(ticket);
		}
		await submitRequest(env.DB, OFFICE, newRequest({ submittedAt: base, residentId: "628999" }));
		await submitRequest(
			env.DB,
			OFFICE,
			newRequest({ submittedAt: base, residentId, businessId: "999999999" }),
		);

		const all = await residentRequests(env.DB, BUSINESS_ID, residentId);
		expect(all.map((r) => r.ticket)).toEqual([...tickets].reverse());
		expect(all[0]).toEqual({
			id: expect.any(String),
			ticket: tickets[3],
			status: "submitted",
			serviceCode: "ktp_el",
			variantCode: "hilang",
			createdAt: base + 180_000,
			updatedAt: base + 180_000,
			dueDate: null,
			// Filed without a schedule: no queue day, so no place in one.
			waitingPosition: null,
		});

		const two = await residentRequests(env.DB, BUSINESS_ID, residentId, 2);
		expect(two.map((r) => r.ticket)).toEqual([tickets[3], tickets[2]]);
	});

	it("returns nothing for a resident without requests", async () => {
		expect(await residentRequests(env.DB, BUSINESS_ID, "6281100000002")).toEqual([]);
	});

	it("refuses a limit out of range", async () => {
		await expect(residentRequests(env.DB, BUSINESS_ID, "6281100000003", 0)).rejects.toThrow(
			RangeError,
		);
	});
});

describe("residentRequestByTicket", () => {
	it("finds the resident's own request by its ticket, as typed", async () => {
		const residentId = "6281100000004";
		const request = newRequest({ submittedAt: Date.parse("2026-11-12T03:00:00Z"), residentId });
		const { ticket } = await submitRequest(env.DB, OFFICE, request);
		const found = await residentRequestByTicket(env.DB, BUSINESS_ID, residentId, ticket);
		expect(found).toMatchObject({ id: request.id, ticket, status: "submitted" });
		expect(
			await residentRequestByTicket(env.DB, BUSINESS_ID, residentId, ` ${ticket.toLowerCase()} `),
		).toEqual(found);
	});

	it("reveals nothing about another resident's ticket", async () => {
		const { ticket } = await submitRequest(
			env.DB,
			OFFICE,
			newRequest({ submittedAt: Date.parse("2026-11-13T03:00:00Z"), residentId: "6281100000005" }),
		);
		expect(await residentRequestByTicket(env.DB, BUSINESS_ID, "6281100000006", ticket)).toBeNull();
		expect(await residentRequestByTicket(env.DB, "999999999", "6281100000005", ticket)).toBeNull();
		expect(
			await residentRequestByTicket(env.DB, BUSINESS_ID, "6281100000005", "PBM-261113-9999"),
		).toBeNull();
	});
});
