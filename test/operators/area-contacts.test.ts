import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createStaff } from "../helpers/staff";

/** Issue 11: each area's office contact, editable by admins through the API. */
const AREA = "16.74.01.1007";

interface Area {
	code: string;
	office: { address: string | null; phone: string | null; hours: string | null };
}

describe("area office contacts", () => {
	it("are changed by an admin (audited) and read by every role", async () => {
		const change = {
			address: "Jl. Patih Galung No. 3",
			phone: "0713-321111",
			hours: "Senin-Jumat 08.00-15.00",
		};
		const res = await api("PATCH", `/areas/${AREA}`, { json: change });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ code: AREA, office: change });
		const auditRow = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'area.update' ORDER BY at DESC LIMIT 1",
		).first<{ actor: string; detail: string }>();
		expect(auditRow?.actor).toBe("bootstrap-admin");
		expect(JSON.parse(auditRow?.detail ?? "{}")).toEqual({
			code: AREA,
			fields: ["address", "phone", "hours"],
		});

		const operator = await createStaff("kelurahan", "16.74.03.1001");
		const listed = await api("GET", "/areas", { token: operator.token });
		expect(listed.status).toBe(200);
		const { areas } = await listed.json<{ areas: Area[] }>();
		expect(areas.find((a) => a.code === AREA)?.office).toEqual(change);

		// null clears one field; the others stay.
		const cleared = await api("PATCH", `/areas/${AREA}`, { json: { phone: null } });
		expect((await cleared.json<Area>()).office).toEqual({ ...change, phone: null });
	});

	it("refuses other roles, unknown areas and empty changes", async () => {
		const officer = await createStaff("officer");
		const denied = await api("PATCH", `/areas/${AREA}`, {
			token: officer.token,
			json: { hours: "Setiap hari" },
		});
		expect(denied.status).toBe(403);
		expect((await api("PATCH", "/areas/16.74.09.9999", { json: { hours: "Senin" } })).status).toBe(
			404,
		);
		const empty = await api("PATCH", `/areas/${AREA}`, { json: {} });
		expect(empty.status).toBe(400);
		expect(empty.headers.get("content-type")).toBe("application/problem+json");
		const row = await env.DB.prepare("SELECT office_hours FROM areas WHERE code = ?")
			.bind(AREA)
			.first<{ office_hours: string | null }>();
		expect(row?.office_hours).not.toBe("Setiap hari");
	});
});
