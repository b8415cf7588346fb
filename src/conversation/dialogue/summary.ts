import { findArea, findService, findVariant } from "../../catalog/catalog";
import { EARLY_DOC_CODE } from "../dialogue-state";
import { askedRequirements } from "./document-rules";
import { subjectLine } from "./subject";
import type { Turn } from "./turn";
import { visitLines } from "./visit-options";

/** The draft as the resident checks it before sending: service, details, documents. */
export function summary(turn: Turn): string {
	const { t, lang, catalog } = turn;
	const draft = turn.state.draft;
	const service = findService(catalog, draft?.service);
	const variant = findVariant(catalog, draft?.service, draft?.variant);
	const area = findArea(catalog, draft?.area);
	const kecamatan = catalog.kecamatan.find((k) => k.code === area?.kecamatanCode);
	const counted = (label: string, files: number) =>
		`${label} (${files > 0 ? t.fileCount(files) : "-"})`;
	const missing = draft?.missing ?? [];
	const docs = askedRequirements(turn).map((r) =>
		turn.filesFor(r.code) === 0 && missing.includes(r.code)
			? `${r.label[lang]} (${t.subject.notHadNote})`
			: counted(r.label[lang], turn.filesFor(r.code)),
	);
	const early = turn.filesFor(EARLY_DOC_CODE);
	if (early > 0) docs.push(counted(turn.labelOf(EARLY_DOC_CODE), early));
	const f = t.fields;
	return t.summary([
		{
			label: f.service,
			value: `${service?.label[lang] ?? "-"}, ${variant?.label[lang] ?? "-"}`,
		},
		{ label: f.nik, value: draft?.nik ?? "-" },
		{ label: f.name, value: draft?.name ?? "-" },
		...(draft?.onBehalf
			? [{ label: t.operator.phoneField, value: draft.onBehalf.phone ?? t.operator.noPhone }]
			: []),
		{ label: f.area, value: area ? `${area.name}, ${kecamatan?.name ?? ""}` : "-" },
		...subjectLine(turn),
		...visitLines(turn),
		{ label: f.documents, value: docs.join("; ") || "-" },
	]);
}
