import type { NewRequest } from "../../src/requests/submit";

/** A request as an operator files it for a resident of Prabumulih Barat, with no files. */
export function newRequest(
	serviceCode: string,
	at: number,
	extra: Partial<NewRequest> = {},
): NewRequest {
	return {
		id: crypto.randomUUID(),
		channel: "kelurahan",
		submittedBy: "op",
		residentName: "Warga Uji",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode,
		variantCode: "umum",
		areaCode: "16.74.01.1001",
		language: "id",
		attachments: [],
		submittedAt: at,
		...extra,
	};
}
