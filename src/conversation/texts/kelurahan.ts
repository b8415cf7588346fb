/**
 * What a resident is told about their kelurahan/desa office's help (issue 11): where it is and
 * that its operators can file a request for them, in both languages.
 *
 * @module
 */

/** An area office's contact; any part may be unknown. */
export interface OfficeContact {
	address?: string | undefined;
	phone?: string | undefined;
	hours?: string | undefined;
}

/** The words of the kelurahan help. */
export interface KelurahanTexts {
	/** Where the office of `place` ("Kelurahan Prabumulih") is and that it can file for them. */
	office(place: string, contact: OfficeContact): string;
	/** Asked before the resident chose their area. */
	chooseAreaFirst: string;
}

/** The contact lines that are known, one a line. */
function contactLines(contact: OfficeContact, labels: [string, string, string]): string[] {
	const [address, phone, hours] = labels;
	return [
		contact.address ? `📍 ${address}: ${contact.address}` : "",
		contact.phone ? `📞 ${phone}: ${contact.phone}` : "",
		contact.hours ? `🕘 ${hours}: ${contact.hours}` : "",
	].filter((line) => line !== "");
}

export const kelurahanId: KelurahanTexts = {
	office: (place, contact) => {
		const lines = contactLines(contact, ["Alamat", "Telepon", "Jam layanan"]);
		return [
			`*Bantuan ${place}*`,
			"Jika Anda tidak bisa mengirim dokumen sendiri, petugas kantor kelurahan/desa dapat mengajukan permohonan untuk Anda. Datang dengan membawa KTP-el, KK dan dokumen aslinya.",
			...(lines.length > 0
				? ["", ...lines]
				: ["", "Alamat kantornya belum tercatat pada kami; tanyakan kepada RT/RW Anda."]),
		].join("\n");
	},
	chooseAreaFirst:
		"Kantor kelurahan/desa Anda dapat mengajukan permohonan untuk Anda. Pilih dulu layanan dan kelurahan/desa Anda, lalu ketik *kelurahan* untuk melihat alamat kantornya.",
};

export const kelurahanEn: KelurahanTexts = {
	office: (place, contact) => {
		const lines = contactLines(contact, ["Address", "Phone", "Opening hours"]);
		return [
			`*Help from ${place}*`,
			"If you cannot send your documents yourself, the staff of your kelurahan/desa office can file the request for you. Bring your KTP-el, KK and the original documents.",
			...(lines.length > 0
				? ["", ...lines]
				: ["", "We do not have the office's address yet; ask your RT/RW."]),
		].join("\n");
	},
	chooseAreaFirst:
		"Your kelurahan/desa office can file a request for you. First choose a service and your kelurahan/desa, then type *kelurahan* to see where its office is.",
};
