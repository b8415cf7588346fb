import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { submitRequest } from "../../src/requests/submit";

/** A request as a report test seeds it. Times are office-local (WIB) ISO strings. */
export interface RequestSeed {
	service: "kk" | "ktp_el" | "legalisir";
	area: string;
	channel: "whatsapp" | "kelurahan";
	created: string;
	queue: string;
	due: string;
	status:
		| "submitted"
		| "in_review"
		| "needs_revision"
		| "processing"
		| "completed"
		| "rejected"
		| "cancelled";
	/** When it reached its final status. */
	closed?: string;
	/** Corrections asked (moves to needs_revision). */
	revisions?: number;
	name?: string;
	nik?: string;
	phone?: string;
}

const VARIANT = { kk: "baru", ktp_el: "baru", legalisir: "umum" } as const;

/** Files a request through the real submission, then puts it in its status, as a seed says. */
export async function fileRequest(seed: RequestSeed): Promise<{ id: string; ticket: string }> {
	const id = crypto.randomUUID();
	const filed = await submitRequest(env.DB, "PBM", {
		id,
		channel: seed.channel,
		...(seed.channel === "whatsapp"
			? { businessId: "106540352242922", residentId: seed.phone ?? "6281200000000" }
			: { submittedBy: "op" }),
		...(seed.phone === undefined ? {} : { residentPhone: seed.phone }),
		residentName: seed.name ?? "Warga Laporan",
		nik: seed.nik ?? "1674015203900003",
		nikWarnings: [],
		serviceCode: seed.service,
		variantCode: VARIANT[seed.service],
		areaCode: seed.area,
		language: "id",
		attachments: [],
		submittedAt: Date.parse(seed.created),
		schedule: { queueDate: seed.queue, dueDate: seed.due },
	});
	expect(filed.created).toBe(true);
	const closedAt = seed.closed === undefined ? null : Date.parse(seed.closed);
	await env.DB.prepare("UPDATE requests SET status = ?, closed_at = ? WHERE id = ?")
		.bind(seed.status, closedAt, id)
		.run();
	for (let n = 0; n < (seed.revisions ?? 0); n++) {
		await env.DB.prepare(
			`INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, reason)
			VALUES (?, ?, ?, 'staff:op', 'submitted', 'needs_revision', 'Foto buram')`,
		)
			.bind(crypto.randomUUID(), id, Date.parse(seed.created) + (n + 1) * 60_000)
			.run();
	}
	return { id, ticket: filed.ticket };
}
