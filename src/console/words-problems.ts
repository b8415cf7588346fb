/**
 * The staff API's problems in the console's words: a headline for each kind of problem the API
 * answers (its `type`, `urn:disdukcapil:problem:<slug>`), spread into the console's dictionaries
 * by i18n.ts as `problem:<slug>`. A kind not named here shows the API's own title.
 *
 * @module
 */

export const ID = {
	// A real version conflict: the request moved since the page was drawn.
	"problem:conflict": "Permohonan ini baru saja diubah orang lain.",
	"problem:illegal-transition": "Status ini tidak bisa dipilih lagi: permohonan sudah berpindah.",
	"problem:window-closed": "Jendela 24 jam WhatsApp tertutup: pesan bebas belum bisa dikirim.",
	"problem:no-whatsapp": "Warga ini tidak bisa dihubungi lewat WhatsApp.",
	"problem:result-not-accepted": "Dokumen jadi tidak bisa diterima sekarang.",
	"problem:card-service": "Layanan ini menghasilkan kartu cetak, bukan PDF.",
	"problem:pdf-service": "Layanan ini menghasilkan PDF, bukan kartu cetak.",
	"problem:complaint-closed": "Pengaduan ini sudah ditutup.",
	"problem:handoff-closed": "Obrolan ini sudah ditutup.",
	"problem:submitted": "Permohonan ini sudah dikirim.",
	"problem:draft-gone": "Draf ini sudah dikirim atau dihapus.",
	"problem:not-filed": "Permohonan ini masuk lewat WhatsApp, bukan diajukan petugas.",
	"problem:revoked": "Petugas ini sudah dicabut.",
	"problem:closed": "Permohonan ini sudah ditutup.",
	"problem:not-home-visit": "Ini bukan permohonan jemput bola.",
	"problem:open-request": "Warga ini masih punya permohonan terbuka.",
	"problem:nothing-to-retry": "Pekerjaan ini sudah tidak bisa dicoba lagi.",
	"problem:not-found":
		"Tidak ada: alamat atau datanya tidak ditemukan (atau di luar wilayah Anda).",
	"problem:payload-too-large": "Berkas atau isian terlalu besar.",
	"problem:internal": "Terjadi galat di sisi kami; sudah dicatat. Coba lagi sebentar lagi.",
} as const;

export const EN: { [K in keyof typeof ID]: string } = {
	"problem:conflict": "Someone else changed this request just now.",
	"problem:illegal-transition": "This status cannot be chosen any more: the request has moved on.",
	"problem:window-closed": "WhatsApp's 24-hour window is closed: free text cannot be sent yet.",
	"problem:no-whatsapp": "This resident cannot be reached over WhatsApp.",
	"problem:result-not-accepted": "The finished document cannot be taken now.",
	"problem:card-service": "This service gives a printed card, not a PDF.",
	"problem:pdf-service": "This service gives a PDF, not a printed card.",
	"problem:complaint-closed": "This complaint is closed.",
	"problem:handoff-closed": "This chat is closed.",
	"problem:submitted": "This request was submitted already.",
	"problem:draft-gone": "This draft was submitted or deleted.",
	"problem:not-filed": "This request came over WhatsApp; staff did not file it.",
	"problem:revoked": "This staff member is revoked.",
	"problem:closed": "This request is closed.",
	"problem:not-home-visit": "This is not a home-visit (jemput bola) request.",
	"problem:open-request": "This resident still has an open request.",
	"problem:nothing-to-retry": "This job can no longer be retried.",
	"problem:not-found":
		"Not found: the address or its data does not exist (or is outside your areas).",
	"problem:payload-too-large": "The file or form is too large.",
	"problem:internal": "Something went wrong on our side; it has been logged. Try again shortly.",
};
