/**
 * The API's codes that staff read on the pages (roles, report groupings, channels, NIK warnings,
 * event actors), in the console's words; spread into its dictionaries by i18n.ts as
 * `<kind>:<code>`. A code without words here is shown as it is (see layout.tsx `codeWord`).
 *
 * @module
 */

export const ID = {
	"role:admin": "admin",
	"role:officer": "petugas kantor",
	"role:kelurahan": "operator kelurahan",
	"groupBy:service": "Layanan",
	"groupBy:kelurahan": "Kelurahan/desa",
	"groupBy:day": "Hari",
	"groupBy:channel": "Saluran",
	"channel:whatsapp": "WhatsApp",
	"channel:kelurahan": "diajukan di kelurahan",
	"nikWarning:impossible_date": "tanggal lahir dalam NIK tidak ada di kalender",
	"actor:resident": "warga",
	"actor:system": "sistem",
	"actor:staff": "petugas",
	"actor:you": "Anda",
	"actor:bootstrap-admin": "admin awal (ADMIN_TOKEN)",
	"alertField:account_update": "akun WhatsApp Business",
	"alertField:phone_number_quality_update": "kualitas nomor",
	"alertField:access_token": "token akses ditolak Meta",
} as const;

export const EN: { [K in keyof typeof ID]: string } = {
	"role:admin": "admin",
	"role:officer": "office staff",
	"role:kelurahan": "kelurahan operator",
	"groupBy:service": "Service",
	"groupBy:kelurahan": "Kelurahan/desa",
	"groupBy:day": "Day",
	"groupBy:channel": "Channel",
	"channel:whatsapp": "WhatsApp",
	"channel:kelurahan": "filed at the kelurahan",
	"nikWarning:impossible_date": "the NIK's birth date is not a calendar date",
	"actor:resident": "resident",
	"actor:system": "system",
	"actor:staff": "staff",
	"actor:you": "you",
	"actor:bootstrap-admin": "bootstrap admin (ADMIN_TOKEN)",
	"alertField:account_update": "WhatsApp Business account",
	"alertField:phone_number_quality_update": "phone number quality",
	"alertField:access_token": "access token refused by Meta",
};
