/**
 * The service catalog and the areas, read from D1 (they are data: another office edits the seed
 * migrations, not this code). The dialogue receives a loaded {@link Catalog} and stays pure.
 */

export type Lang = "id" | "en";

/** A text in both languages the product speaks. */
export interface Labels {
	id: string;
	en: string;
}

export interface Requirement {
	code: string;
	label: Labels;
	required: boolean;
	acceptedTypes: string[];
	maxBytes: number;
	/** The document this one stands in for: asked only when the resident has not got that one. */
	substituteFor?: string;
	/** One photo is the whole document: the dialogue moves on by itself after it. */
	onePage: boolean;
}

/** Whom a request is about when it is not the applicant (asked after the applicant's details). */
export type SubjectKind = "baby_name" | "child_nik" | "deceased_nik" | "move_details";

export interface Variant {
	code: string;
	label: Labels;
	description: Labels;
	note?: Labels;
	/** What happens after submission, for the receipt (else the service's general line). */
	next?: Labels;
	requirements: Requirement[];
}

export interface Service {
	code: string;
	category: string;
	label: Labels;
	description: Labels;
	resultKind: "pdf" | "card";
	subject?: SubjectKind;
	/** Set for a home visit (jemput bola): the dialogue asks the visit's questions. */
	homeVisit?: true;
	variants: Variant[];
}

export interface Area {
	code: string;
	name: string;
	kind: "kelurahan" | "desa";
	kecamatanCode: string;
	/** The area office's contact, as far as an admin filled it in (PATCH /api/v1/areas/{code}). */
	office?: { address?: string; phone?: string; hours?: string };
}

export interface Kecamatan {
	code: string;
	name: string;
	areas: Area[];
}

export interface Catalog {
	services: Service[];
	kecamatan: Kecamatan[];
	/** Office facts told to residents (`hours`, `address`, ...). */
	office: Record<string, Labels>;
	/**
	 * The documents of services and variants switched off (`active = 0`), by `service/variant`:
	 * offered to nobody, but a request filed before still needs them when staff ask for
	 * corrections.
	 */
	retired?: Record<string, Requirement[]>;
}

/** The key of a service's variant in {@link Catalog.retired}. */
export function variantKey(service: string, variant: string): string {
	return `${service}/${variant}`;
}

interface ServiceRow {
	code: string;
	category: string;
	label_id: string;
	label_en: string;
	description_id: string;
	description_en: string;
	result_kind: "pdf" | "card";
	subject: SubjectKind | null;
	home_visit: number;
}
interface VariantRow {
	service_code: string;
	code: string;
	label_id: string;
	label_en: string;
	description_id: string;
	description_en: string;
	note_id: string | null;
	note_en: string | null;
	next_id: string | null;
	next_en: string | null;
}
interface RequirementRow {
	service_code: string;
	variant_code: string;
	doc_code: string;
	label_id: string;
	label_en: string;
	required: number;
	accepted_types: string;
	max_bytes: number;
	substitute_for: string | null;
	one_page: number;
}
interface KecamatanRow {
	code: string;
	name: string;
}
interface AreaRow {
	code: string;
	kecamatan_code: string;
	name: string;
	kind: "kelurahan" | "desa";
	office_address: string | null;
	office_phone: string | null;
	office_hours: string | null;
}
interface OfficeRow {
	key: string;
	value_id: string;
	value_en: string;
}

/** Reads the whole catalog in one round trip (a batch of five reads). */
export async function loadCatalog(db: D1Database): Promise<Catalog> {
	const [services, variants, requirements, kecamatan, areas, office] = await db.batch([
		db.prepare(
			"SELECT code, category, label_id, label_en, description_id, description_en, result_kind, subject, home_visit FROM services WHERE active = 1 ORDER BY sort_order, code",
		),
		db.prepare(
			"SELECT service_code, code, label_id, label_en, description_id, description_en, note_id, note_en, next_id, next_en FROM service_variants WHERE active = 1 ORDER BY service_code, sort_order, code",
		),
		db.prepare(
			"SELECT service_code, variant_code, doc_code, label_id, label_en, required, accepted_types, max_bytes, substitute_for, one_page FROM requirements ORDER BY service_code, variant_code, sort_order, doc_code",
		),
		db.prepare("SELECT code, name FROM kecamatan ORDER BY sort_order, code"),
		db.prepare(
			"SELECT code, kecamatan_code, name, kind, office_address, office_phone, office_hours FROM areas ORDER BY kecamatan_code, sort_order, code",
		),
		db.prepare("SELECT key, value_id, value_en FROM office_info"),
	]);
	return buildCatalog(
		(services?.results ?? []) as ServiceRow[],
		(variants?.results ?? []) as VariantRow[],
		(requirements?.results ?? []) as RequirementRow[],
		(kecamatan?.results ?? []) as KecamatanRow[],
		(areas?.results ?? []) as AreaRow[],
		(office?.results ?? []) as OfficeRow[],
	);
}

function buildCatalog(
	serviceRows: ServiceRow[],
	variantRows: VariantRow[],
	requirementRows: RequirementRow[],
	kecamatanRows: KecamatanRow[],
	areaRows: AreaRow[],
	officeRows: OfficeRow[],
): Catalog {
	const requirementsOf = (service: string, variant: string): Requirement[] =>
		requirementRows
			.filter((r) => r.service_code === service && r.variant_code === variant)
			.map((r) => ({
				code: r.doc_code,
				label: { id: r.label_id, en: r.label_en },
				required: r.required === 1,
				acceptedTypes: r.accepted_types.split(",").map((t) => t.trim()),
				maxBytes: r.max_bytes,
				onePage: r.one_page === 1,
				...(r.substitute_for ? { substituteFor: r.substitute_for } : {}),
			}));
	const services = serviceRows
		.map((s) => ({
			code: s.code,
			category: s.category,
			label: { id: s.label_id, en: s.label_en },
			description: { id: s.description_id, en: s.description_en },
			resultKind: s.result_kind,
			...(s.subject ? { subject: s.subject } : {}),
			...(s.home_visit === 1 ? { homeVisit: true as const } : {}),
			variants: variantRows
				.filter((v) => v.service_code === s.code)
				.map((v) => ({
					code: v.code,
					label: { id: v.label_id, en: v.label_en },
					description: { id: v.description_id, en: v.description_en },
					...(v.note_id && v.note_en ? { note: { id: v.note_id, en: v.note_en } } : {}),
					...(v.next_id && v.next_en ? { next: { id: v.next_id, en: v.next_en } } : {}),
					requirements: requirementsOf(s.code, v.code),
				})),
		}))
		.filter((s) => s.variants.length > 0);
	const kecamatan = kecamatanRows.map((k) => ({
		code: k.code,
		name: k.name,
		areas: areaRows
			.filter((a) => a.kecamatan_code === k.code)
			.map((a) => ({
				code: a.code,
				name: a.name,
				kind: a.kind,
				kecamatanCode: a.kecamatan_code,
				office: {
					...(a.office_address ? { address: a.office_address } : {}),
					...(a.office_phone ? { phone: a.office_phone } : {}),
					...(a.office_hours ? { hours: a.office_hours } : {}),
				},
			})),
	}));
	const office: Record<string, Labels> = {};
	for (const row of officeRows) office[row.key] = { id: row.value_id, en: row.value_en };
	const offered = new Set(
		services.flatMap((s) => s.variants.map((v) => variantKey(s.code, v.code))),
	);
	const retired: Record<string, Requirement[]> = {};
	for (const row of requirementRows) {
		const key = variantKey(row.service_code, row.variant_code);
		if (!offered.has(key)) retired[key] ??= requirementsOf(row.service_code, row.variant_code);
	}
	return { services, kecamatan, office, retired };
}

export function findService(catalog: Catalog, code: string | undefined): Service | undefined {
	return catalog.services.find((s) => s.code === code);
}

export function findVariant(
	catalog: Catalog,
	service: string | undefined,
	variant: string | undefined,
): Variant | undefined {
	return findService(catalog, service)?.variants.find((v) => v.code === variant);
}

export function findArea(catalog: Catalog, code: string | undefined): Area | undefined {
	for (const k of catalog.kecamatan) {
		const area = k.areas.find((a) => a.code === code);
		if (area) return area;
	}
	return undefined;
}
