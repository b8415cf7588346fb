/**
 * The chat simulator page: one self-contained HTML document (CSS and a plain-JS script inline, no
 * framework, no CDN) that looks and behaves like a WhatsApp chat with the office's number. Each
 * tab is one resident (a random phone and name, kept in sessionStorage; `?phone=&name=` sets
 * them). It talks only to `/dev/chat/*`: send, upload, and a poll every second for replies.
 */

function escapeHtml(value: string): string {
	return value
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;")
		.replaceAll('"', "&quot;")
		.replaceAll("'", "&#39;")
		.replaceAll("\\", "&#92;"); // it also lands inside a JS string literal of the page
}

export function chatPage(options: { office: string; businessNumber: string }): string {
	return PAGE.replaceAll("__OFFICE__", escapeHtml(options.office)).replaceAll(
		"__NUMBER__",
		escapeHtml(options.businessNumber),
	);
}

const PAGE = /* html */ `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__OFFICE__ · WhatsApp sandbox</title>
<style>
:root {
	--green: #008069; --green-dark: #005c4b; --bubble-out: #d9fdd3; --bubble-in: #ffffff;
	--wall: #efeae2; --text: #111b21; --muted: #667781; --blue: #53bdeb; --link: #027eb5;
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
	font: 14.2px/1.4 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
	color: var(--text); background: #d1d7db; display: flex; justify-content: center;
}
.phone { width: 100%; max-width: 520px; height: 100%; display: flex; flex-direction: column;
	background: var(--wall); box-shadow: 0 0 24px rgba(0,0,0,.15); position: relative; overflow: hidden; }
header { background: var(--green); color: #fff; display: flex; align-items: center; gap: 10px;
	padding: 10px 12px; flex: none; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #dfe5e7; color: var(--green);
	display: grid; place-items: center; font-weight: 700; font-size: 18px; flex: none; }
.who { flex: 1; min-width: 0; }
.who b { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 16px; }
.who small { opacity: .85; font-size: 12.5px; }
header button, header a { color: #fff; background: transparent; border: 1px solid rgba(255,255,255,.5);
	border-radius: 16px; padding: 4px 10px; font: inherit; font-size: 12.5px; cursor: pointer; text-decoration: none; white-space: nowrap; }
.identity { background: #f0f2f5; padding: 8px 12px; display: flex; gap: 8px; align-items: center;
	flex-wrap: wrap; border-bottom: 1px solid #e0e0e0; font-size: 13px; flex: none; }
.identity label { display: flex; gap: 4px; align-items: center; color: var(--muted); }
.identity input { font: inherit; padding: 4px 8px; border: 1px solid #cfd4d7; border-radius: 6px; width: 150px; }
.identity button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 0; background: var(--green); color: #fff; cursor: pointer; }
#chat { flex: 1; overflow-y: auto; padding: 12px 4% 8px; display: flex; flex-direction: column; gap: 4px;
	background-color: var(--wall);
	background-image: radial-gradient(rgba(0,0,0,.035) 1px, transparent 1px); background-size: 18px 18px; }
.notice { align-self: center; background: #fff8c5; color: #54656f; font-size: 12.5px; border-radius: 8px;
	padding: 5px 10px; margin: 6px 0; text-align: center; max-width: 90%; box-shadow: 0 1px .5px rgba(0,0,0,.13); }
.row { display: flex; flex-direction: column; max-width: 85%; }
/* The page is the resident's phone: their own messages on the right, the office's on the left. */
.row.theirs { align-self: flex-start; }
.row.mine { align-self: flex-end; align-items: flex-end; }
.bubble { position: relative; padding: 6px 8px 8px 9px; border-radius: 8px; box-shadow: 0 1px .5px rgba(0,0,0,.13);
	word-wrap: break-word; overflow-wrap: anywhere; min-width: 88px; }
.theirs .bubble { background: var(--bubble-in); border-top-left-radius: 0; }
.mine .bubble { background: var(--bubble-out); border-top-right-radius: 0; }
.bubble .text { white-space: pre-wrap; }
.bubble .header { font-weight: 700; margin-bottom: 2px; }
.bubble .footer { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.meta { float: right; margin: 6px 0 -4px 10px; font-size: 11px; color: var(--muted); white-space: nowrap; }
.ticks { margin-left: 3px; letter-spacing: -3px; color: var(--muted); }
.ticks.read { color: var(--blue); }
.reply-to { border-left: 4px solid #06cf9c; background: rgba(0,0,0,.05); border-radius: 4px; padding: 3px 6px;
	margin-bottom: 4px; font-size: 12.5px; color: var(--muted); }
.buttons { display: flex; flex-direction: column; gap: 2px; margin-top: 2px; width: 100%; }
.buttons button, .list-open { width: 100%; background: var(--bubble-in); color: var(--link); border: 0; border-radius: 8px;
	padding: 9px 8px; font: inherit; font-weight: 500; cursor: pointer; box-shadow: 0 1px .5px rgba(0,0,0,.13); }
.buttons button:hover, .list-open:hover { background: #f5f6f6; }
.list-open { border-top: 1px solid #e9edef; border-radius: 0 0 8px 8px; box-shadow: none; margin: 6px -8px -8px -9px;
	width: calc(100% + 17px); display: flex; align-items: center; justify-content: center; gap: 6px; }
.file { display: flex; gap: 10px; align-items: center; background: rgba(0,0,0,.05); border-radius: 6px; padding: 8px;
	margin-bottom: 4px; color: inherit; text-decoration: none; }
.file .icon { width: 34px; height: 40px; background: #e34f4f; color: #fff; border-radius: 4px; display: grid;
	place-items: center; font-size: 10px; font-weight: 700; flex: none; }
.file .name { font-weight: 500; }
.file .sub { color: var(--muted); font-size: 12px; }
.bubble img { display: block; max-width: 100%; max-height: 320px; border-radius: 6px; margin-bottom: 4px; }
.template { border-left: 3px solid var(--green); padding-left: 6px; }
.template .tag { font-size: 11.5px; color: var(--green); font-weight: 600; text-transform: uppercase; letter-spacing: .02em; }
.template ol { margin: 4px 0 0; padding-left: 22px; }
footer { display: flex; gap: 6px; align-items: center; padding: 6px 8px; background: #f0f2f5; flex: none; }
footer input[type=text] { flex: 1; font: inherit; font-size: 15px; padding: 9px 12px; border: 0; border-radius: 8px; outline: none; }
.round { width: 42px; height: 42px; border-radius: 50%; border: 0; display: grid; place-items: center; cursor: pointer;
	font-size: 20px; flex: none; }
#attach { background: transparent; color: #54656f; }
#send { background: var(--green); color: #fff; }
#send:disabled { opacity: .6; cursor: default; }
.sheet-backdrop { position: absolute; inset: 0; background: rgba(11,20,26,.45); display: none; align-items: flex-end; z-index: 10; }
.sheet-backdrop.open { display: flex; }
.sheet { background: #fff; width: 100%; max-height: 75%; border-radius: 14px 14px 0 0; display: flex; flex-direction: column; }
.sheet h2 { margin: 0; font-size: 16px; padding: 14px 16px; border-bottom: 1px solid #e9edef; display: flex; justify-content: space-between; align-items: center; }
.sheet h2 button { border: 0; background: transparent; font-size: 20px; cursor: pointer; color: var(--muted); }
.sheet .rows { overflow-y: auto; padding: 4px 0 12px; }
.sheet h3 { margin: 10px 16px 2px; font-size: 13px; color: var(--green); font-weight: 600; }
.sheet .option { display: block; width: 100%; text-align: left; border: 0; background: transparent; padding: 10px 16px;
	font: inherit; cursor: pointer; border-bottom: 1px solid #f0f2f5; }
.sheet .option:hover { background: #f5f6f6; }
.sheet .option small { display: block; color: var(--muted); }
#error { position: absolute; left: 50%; transform: translateX(-50%); bottom: 64px; background: #e34f4f; color: #fff;
	padding: 6px 12px; border-radius: 8px; font-size: 13px; display: none; max-width: 90%; z-index: 20; }
.uploading { opacity: .6; }
</style>
</head>
<body>
<div class="phone">
	<header>
		<div class="avatar" aria-hidden="true">D</div>
		<div class="who"><b>__OFFICE__</b><small>Akun bisnis · +__NUMBER__ · sandbox lokal</small></div>
		<a href="/dev/chat" target="_blank" rel="noopener" title="Buka warga lain di tab baru">+ Tab</a>
	</header>
	<form class="identity" id="identity">
		<label>No. HP <input id="phone" name="phone" inputmode="numeric" pattern="\\d{8,15}" required data-testid="phone"></label>
		<label>Nama <input id="name" name="name" maxlength="100" required data-testid="name"></label>
		<button type="submit">Pakai</button>
	</form>
	<main id="chat" aria-live="polite" data-testid="chat"></main>
	<footer>
		<button type="button" class="round" id="attach" title="Lampirkan foto atau PDF" aria-label="Lampirkan"><svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path fill="currentColor" d="M16.5 6.5v10.6a4.5 4.5 0 0 1-9 0V5.8a3 3 0 0 1 6 0v10.3a1.5 1.5 0 0 1-3 0V6.5H9v9.6a3 3 0 0 0 6 0V5.8a4.5 4.5 0 0 0-9 0v11.3a6 6 0 0 0 12 0V6.5z"/></svg></button>
		<input type="file" id="file" accept="image/jpeg,image/png,application/pdf" hidden data-testid="file">
		<input type="text" id="text" placeholder="Ketik pesan" autocomplete="off" data-testid="composer">
		<button type="button" class="round" id="send" title="Kirim" aria-label="Kirim" data-testid="send"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg></button>
	</footer>
	<div class="sheet-backdrop" id="sheet" data-testid="list-sheet">
		<div class="sheet" role="dialog" aria-modal="true">
			<h2><span id="sheet-title"></span><button type="button" id="sheet-close" aria-label="Tutup">✕</button></h2>
			<div class="rows" id="sheet-rows"></div>
		</div>
	</div>
	<div id="error" role="alert"></div>
</div>
<script>
"use strict";
(() => {
	const $ = (id) => document.getElementById(id);
	const chat = $("chat");
	const NAMES = ["Budi Santoso", "Siti Aminah", "Rina Wulandari", "Agus Salim", "Dewi Lestari",
		"Joko Susilo", "Nur Hidayah", "Hendra Gunawan", "Sri Rahayu", "Ahmad Fauzi"];
	const params = new URLSearchParams(location.search);
	const randomPhone = () => "62812" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
	let phone = params.get("phone") || sessionStorage.getItem("sandbox.phone") || randomPhone();
	let name = params.get("name") || sessionStorage.getItem("sandbox.name") ||
		NAMES[Math.floor(Math.random() * NAMES.length)];
	let cursor = null;
	let generation = 0;
	let polling = false;
	const seen = new Map();
	const readIds = new Set();

	function remember() {
		sessionStorage.setItem("sandbox.phone", phone);
		sessionStorage.setItem("sandbox.name", name);
		$("phone").value = phone;
		$("name").value = name;
		document.title = name + " · " + document.title.replace(/^.* · (?=.* · )/, "");
	}

	function showError(text) {
		const box = $("error");
		box.textContent = text;
		box.style.display = "block";
		clearTimeout(showError.timer);
		showError.timer = setTimeout(() => { box.style.display = "none"; }, 6000);
	}

	const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) =>
		({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

	/** WhatsApp's formatting: *bold*, _italic_, ~strike~, \`\`\`mono\`\`\`, on escaped text. */
	function format(text) {
		let html = escapeHtml(text);
		html = html.replace(/\`\`\`([\\s\\S]+?)\`\`\`/g, "<code>$1</code>");
		const wrap = (mark, tag) => {
			const m = mark.replace(/[*~]/g, "\\\\$&");
			const re = new RegExp("(^|[\\\\s(>\\"'])" + m + "(?!\\\\s)([^" + mark + "\\\\n]+?)" + m + "(?=$|[\\\\s).,!?:;<\\"'])", "g");
			html = html.replace(re, "$1<" + tag + ">$2</" + tag + ">");
		};
		wrap("*", "b");
		wrap("_", "i");
		wrap("~", "s");
		return html;
	}

	const time = (at) => new Date(at).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });

	function el(tag, className, html) {
		const node = document.createElement(tag);
		if (className) node.className = className;
		if (html !== undefined) node.innerHTML = html;
		return node;
	}

	function metaOf(message) {
		const meta = el("span", "meta", time(message.at));
		if (message.direction === "in") {
			const ticks = el("span", "ticks", "✓✓");
			ticks.dataset.ticksFor = message.id;
			if (readIds.has(message.id)) ticks.classList.add("read");
			meta.appendChild(ticks);
		}
		return meta;
	}

	function textBlock(text, className) {
		return el("div", className || "text", format(text));
	}

	function mediaBlock(c) {
		const link = /^https?:\\/\\//i.test(c.link || "") ? c.link : undefined;
		const src = c.mediaId ? "/dev/chat/media/" + encodeURIComponent(c.mediaId) : link;
		if (c.media === "image" && src) {
			const img = el("img");
			img.src = src;
			img.alt = c.caption || "foto";
			return img;
		}
		const file = el("a", "file");
		file.href = src || "#";
		file.target = "_blank";
		file.rel = "noopener";
		file.setAttribute("download", c.fileName || "dokumen.pdf");
		file.dataset.testid = "document";
		const kind = (c.mimeType || c.fileName || "pdf").toLowerCase().includes("pdf") ? "PDF" : "FILE";
		file.innerHTML = '<span class="icon">' + kind + '</span><span><span class="name">' +
			escapeHtml(c.fileName || "Dokumen") + '</span><br><span class="sub">Ketuk untuk mengunduh</span></span>';
		return file;
	}

	function openList(message) {
		const c = message.content;
		$("sheet-title").textContent = c.button;
		const rows = $("sheet-rows");
		rows.innerHTML = "";
		for (const section of c.sections) {
			if (section.title) rows.appendChild(el("h3", "", escapeHtml(section.title)));
			for (const row of section.rows) {
				const option = el("button", "option", escapeHtml(row.title) +
					(row.description ? "<small>" + escapeHtml(row.description) + "</small>" : ""));
				option.type = "button";
				option.dataset.testid = "list-row";
				option.addEventListener("click", () => {
					closeList();
					send({ type: "row", id: row.id, title: row.title,
						...(row.description ? { description: row.description } : {}), context: message.id });
				});
				rows.appendChild(option);
			}
		}
		$("sheet").classList.add("open");
	}

	function closeList() { $("sheet").classList.remove("open"); }

	function render(message) {
		const c = message.content;
		const row = el("div", "row " + (message.direction === "in" ? "mine" : "theirs"));
		row.dataset.id = message.id;
		row.dataset.testid = message.direction === "in" ? "msg-resident" : "msg-bot";
		const bubble = el("div", "bubble");
		row.appendChild(bubble);
		switch (c.kind) {
			case "text":
				bubble.appendChild(textBlock(c.text));
				break;
			case "reply":
				const quoted = c.quoted && seen.get(c.quoted);
				const snippet = quoted && quoted.content.body ? quoted.content.body.split("\\n")[0] : "";
				bubble.appendChild(el("div", "reply-to", "<b>__OFFICE__</b><br>" +
					format(snippet.length > 70 ? snippet.slice(0, 70) + "…" : snippet || "Pesan")));
				bubble.appendChild(textBlock(c.title));
				break;
			case "buttons":
			case "list": {
				if (c.header) bubble.appendChild(textBlock(c.header, "header"));
				bubble.appendChild(textBlock(c.body));
				if (c.footer) bubble.appendChild(textBlock(c.footer, "footer"));
				if (c.kind === "list") {
					bubble.appendChild(metaOf(message));
					const open = el("button", "list-open", "☰ " + escapeHtml(c.button));
					open.type = "button";
					open.dataset.testid = "list-open";
					open.addEventListener("click", () => openList(message));
					bubble.appendChild(open);
					chat.appendChild(row);
					return;
				}
				const buttons = el("div", "buttons");
				for (const b of c.buttons) {
					const button = el("button", "", "↩ " + escapeHtml(b.title));
					button.type = "button";
					button.dataset.testid = "reply-button";
					button.addEventListener("click", () => send({ type: "button", id: b.id, title: b.title, context: message.id }));
					buttons.appendChild(button);
				}
				row.appendChild(buttons);
				break;
			}
			case "media":
				bubble.appendChild(mediaBlock(c));
				if (c.caption) bubble.appendChild(textBlock(c.caption));
				break;
			case "template": {
				const box = el("div", "template");
				box.appendChild(el("div", "tag", "Template · " + escapeHtml(c.name) + " (" + escapeHtml(c.language) + ")"));
				if (c.params.length) {
					const ol = el("ol");
					for (const p of c.params) ol.appendChild(el("li", "", format(p)));
					box.appendChild(ol);
				}
				bubble.appendChild(box);
				break;
			}
			default:
				bubble.appendChild(el("div", "text", "<i>[" + escapeHtml(c.type || "pesan") + "]</i>"));
		}
		bubble.appendChild(metaOf(message));
		chat.appendChild(row);
	}

	function applyReads(ids) {
		for (const id of ids) readIds.add(id);
		for (const ticks of chat.querySelectorAll("[data-ticks-for]")) {
			if (readIds.has(ticks.dataset.ticksFor)) ticks.classList.add("read");
		}
	}

	async function poll() {
		if (polling) return;
		polling = true;
		const mine = generation;
		try {
			const query = new URLSearchParams({ phone });
			if (cursor) query.set("after", cursor);
			const response = await fetch("/dev/chat/messages?" + query);
			if (!response.ok) throw new Error("poll " + response.status);
			const data = await response.json();
			if (mine !== generation) return;
			const nearBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120;
			let added = 0;
			for (const message of data.messages) {
				if (seen.has(message.id)) continue;
				seen.set(message.id, message);
				render(message);
				added++;
			}
			if (data.cursor) cursor = data.cursor;
			applyReads(data.read);
			if (added && (nearBottom || added === data.messages.length)) chat.scrollTop = chat.scrollHeight;
		} catch (error) {
			console.warn(error);
		} finally {
			polling = false;
		}
	}

	async function send(message) {
		const response = await fetch("/dev/chat/send", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ phone, name, message }),
		});
		if (!response.ok) {
			const problem = await response.json().catch(() => ({}));
			showError(problem.detail || problem.title || "Gagal mengirim (" + response.status + ")");
			return false;
		}
		await poll();
		chat.scrollTop = chat.scrollHeight;
		return true;
	}

	async function sendText() {
		const input = $("text");
		const text = input.value.trim();
		if (!text) return;
		$("send").disabled = true;
		try {
			if (await send({ type: "text", text })) input.value = "";
		} finally {
			$("send").disabled = false;
			input.focus();
		}
	}

	async function attach(file) {
		const footer = document.querySelector("footer");
		footer.classList.add("uploading");
		try {
			const upload = await fetch("/dev/chat/upload", {
				method: "POST",
				headers: { "content-type": file.type || "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
				body: file,
			});
			const stored = await upload.json().catch(() => ({}));
			if (!upload.ok) {
				showError(stored.detail || stored.title || "Gagal mengunggah (" + upload.status + ")");
				return;
			}
			const type = stored.mime_type === "application/pdf" ? "document" : "image";
			const caption = $("text").value.trim();
			if (await send({ type, mediaId: stored.id, ...(caption ? { caption } : {}) })) $("text").value = "";
		} finally {
			footer.classList.remove("uploading");
		}
	}

	$("send").addEventListener("click", sendText);
	$("text").addEventListener("keydown", (event) => {
		if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendText(); }
	});
	$("attach").addEventListener("click", () => $("file").click());
	$("file").addEventListener("change", () => {
		const file = $("file").files[0];
		$("file").value = "";
		if (file) attach(file);
	});
	$("sheet-close").addEventListener("click", closeList);
	$("sheet").addEventListener("click", (event) => { if (event.target === $("sheet")) closeList(); });
	$("identity").addEventListener("submit", (event) => {
		event.preventDefault();
		const nextPhone = $("phone").value.replace(/\\D/g, "");
		const nextName = $("name").value.trim();
		if (!/^\\d{8,15}$/.test(nextPhone) || !nextName) { showError("Nomor 8-15 angka dan nama wajib diisi"); return; }
		phone = nextPhone;
		name = nextName;
		generation++;
		cursor = null;
		seen.clear();
		readIds.clear();
		chat.innerHTML = "";
		intro();
		remember();
		poll();
	});

	function intro() {
		chat.appendChild(el("div", "notice", "🔒 Sandbox lokal: pesan Anda menjadi webhook bertanda tangan seperti dari Meta, " +
			"dan balasan bot datang lewat Graph API palsu. Sapa dengan <b>Halo</b>."));
	}

	remember();
	intro();
	poll();
	setInterval(poll, 1000);
})();
</script>
</body>
</html>
`;
