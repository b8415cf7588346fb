/**
 * The chat simulator's browser script (served inline by GET /dev/chat; no framework, no build).
 * Each tab is one resident (a random phone and name, kept in sessionStorage; `?phone=&name=` sets
 * them). It talks only to `/dev/chat/*`: send, upload, and a poll every second for replies.
 */

(() => {
	const $ = (id) => document.getElementById(id);
	const chat = $("chat");
	// The office's name, given by the page (it heads replies quoting the office's messages).
	const OFFICE = document.body.dataset.office || "";
	const NAMES = [
		"Budi Santoso",
		"Siti Aminah",
		"Rina Wulandari",
		"Agus Salim",
		"Dewi Lestari",
		"Joko Susilo",
		"Nur Hidayah",
		"Hendra Gunawan",
		"Sri Rahayu",
		"Ahmad Fauzi",
	];
	const params = new URLSearchParams(location.search);
	const randomPhone = () => `62812${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
	let phone = params.get("phone") || sessionStorage.getItem("sandbox.phone") || randomPhone();
	let name =
		params.get("name") ||
		sessionStorage.getItem("sandbox.name") ||
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
		document.title = `${name} · ${document.title.replace(/^.* · (?=.* · )/, "")}`;
	}

	function showError(text) {
		const box = $("error");
		box.textContent = text;
		box.style.display = "block";
		clearTimeout(showError.timer);
		showError.timer = setTimeout(() => {
			box.style.display = "none";
		}, 6000);
	}

	const escapeHtml = (s) =>
		String(s).replace(
			/[&<>"']/g,
			(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
		);

	/** WhatsApp's formatting: *bold*, _italic_, ~strike~, ```mono```, on escaped text. */
	function format(text) {
		let html = escapeHtml(text);
		html = html.replace(/```([\s\S]+?)```/g, "<code>$1</code>");
		const wrap = (mark, tag) => {
			const m = mark.replace(/[*~]/g, "\\$&");
			const re = new RegExp(
				`(^|[\\s(>"'])${m}(?!\\s)([^${mark}\\n]+?)${m}(?=$|[\\s).,!?:;<"'])`,
				"g",
			);
			html = html.replace(re, `$1<${tag}>$2</${tag}>`);
		};
		wrap("*", "b");
		wrap("_", "i");
		wrap("~", "s");
		return html;
	}

	const time = (at) =>
		new Date(at).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });

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
		const link = /^https?:\/\//i.test(c.link || "") ? c.link : undefined;
		const src = c.mediaId ? `/dev/chat/media/${encodeURIComponent(c.mediaId)}` : link;
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
		file.innerHTML =
			'<span class="icon">' +
			kind +
			'</span><span><span class="name">' +
			escapeHtml(c.fileName || "Dokumen") +
			'</span><br><span class="sub">Ketuk untuk mengunduh</span></span>';
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
				const option = el(
					"button",
					"option",
					escapeHtml(row.title) +
						(row.description ? `<small>${escapeHtml(row.description)}</small>` : ""),
				);
				option.type = "button";
				option.dataset.testid = "list-row";
				option.addEventListener("click", () => {
					closeList();
					send({
						type: "row",
						id: row.id,
						title: row.title,
						...(row.description ? { description: row.description } : {}),
						context: message.id,
					});
				});
				rows.appendChild(option);
			}
		}
		$("sheet").classList.add("open");
	}

	function closeList() {
		$("sheet").classList.remove("open");
	}

	function render(message) {
		const c = message.content;
		const row = el("div", `row ${message.direction === "in" ? "mine" : "theirs"}`);
		row.dataset.id = message.id;
		row.dataset.testid = message.direction === "in" ? "msg-resident" : "msg-bot";
		const bubble = el("div", "bubble");
		row.appendChild(bubble);
		switch (c.kind) {
			case "text":
				bubble.appendChild(textBlock(c.text));
				break;
			case "reply": {
				const quoted = c.quoted && seen.get(c.quoted);
				const snippet = quoted?.content.body ? quoted.content.body.split("\n")[0] : "";
				bubble.appendChild(
					el(
						"div",
						"reply-to",
						"<b>" +
							escapeHtml(OFFICE) +
							"</b><br>" +
							format(snippet.length > 70 ? `${snippet.slice(0, 70)}…` : snippet || "Pesan"),
					),
				);
				bubble.appendChild(textBlock(c.title));
				break;
			}
			case "buttons":
			case "list": {
				if (c.header) bubble.appendChild(textBlock(c.header, "header"));
				bubble.appendChild(textBlock(c.body));
				if (c.footer) bubble.appendChild(textBlock(c.footer, "footer"));
				if (c.kind === "list") {
					bubble.appendChild(metaOf(message));
					const open = el("button", "list-open", `☰ ${escapeHtml(c.button)}`);
					open.type = "button";
					open.dataset.testid = "list-open";
					open.addEventListener("click", () => openList(message));
					bubble.appendChild(open);
					chat.appendChild(row);
					return;
				}
				const buttons = el("div", "buttons");
				for (const b of c.buttons) {
					const button = el("button", "", `↩ ${escapeHtml(b.title)}`);
					button.type = "button";
					button.dataset.testid = "reply-button";
					button.addEventListener("click", () =>
						send({ type: "button", id: b.id, title: b.title, context: message.id }),
					);
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
				box.appendChild(
					el("div", "tag", `Template · ${escapeHtml(c.name)} (${escapeHtml(c.language)})`),
				);
				if (c.params.length) {
					const ol = el("ol");
					for (const p of c.params) ol.appendChild(el("li", "", format(p)));
					box.appendChild(ol);
				}
				bubble.appendChild(box);
				break;
			}
			default:
				bubble.appendChild(el("div", "text", `<i>[${escapeHtml(c.type || "pesan")}]</i>`));
		}
		bubble.appendChild(metaOf(message));
		chat.appendChild(row);
	}

	// As in WhatsApp: a message marked read turns the ticks of the ones before it blue too.
	function applyReads(ids) {
		for (const id of ids) readIds.add(id);
		let read = false;
		for (const ticks of [...chat.querySelectorAll("[data-ticks-for]")].reverse()) {
			read ||= readIds.has(ticks.dataset.ticksFor);
			if (read) ticks.classList.add("read");
		}
	}

	async function poll() {
		if (polling) return;
		polling = true;
		const mine = generation;
		try {
			const query = new URLSearchParams({ phone });
			if (cursor) query.set("after", cursor);
			const response = await fetch(`/dev/chat/messages?${query}`);
			if (!response.ok) throw new Error(`poll ${response.status}`);
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
			if (added && (nearBottom || added === data.messages.length))
				chat.scrollTop = chat.scrollHeight;
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
			showError(problem.detail || problem.title || `Gagal mengirim (${response.status})`);
			return false;
		}
		await poll();
		chat.scrollTop = chat.scrollHeight;
		return true;
	}

	/**
	 * Sends `compose(the composer's text)`. The composer is cleared now, not after the send, so a
	 * line typed while this one is on its way is kept; the text comes back if the send failed and
	 * nothing new was typed.
	 */
	async function sendComposed(compose) {
		const input = $("text");
		const text = input.value.trim();
		input.value = "";
		if (!(await send(compose(text))) && !input.value) input.value = text;
	}

	async function sendText() {
		const input = $("text");
		if (!input.value.trim()) return;
		$("send").disabled = true;
		try {
			await sendComposed((text) => ({ type: "text", text }));
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
				headers: {
					"content-type": file.type || "application/octet-stream",
					"x-file-name": encodeURIComponent(file.name),
				},
				body: file,
			});
			const stored = await upload.json().catch(() => ({}));
			if (!upload.ok) {
				showError(stored.detail || stored.title || `Gagal mengunggah (${upload.status})`);
				return;
			}
			const type = stored.mime_type === "application/pdf" ? "document" : "image";
			await sendComposed((caption) => ({
				type,
				mediaId: stored.id,
				...(caption ? { caption } : {}),
			}));
		} finally {
			footer.classList.remove("uploading");
		}
	}

	$("send").addEventListener("click", sendText);
	$("text").addEventListener("keydown", (event) => {
		if (event.key === "Enter" && !event.shiftKey) {
			event.preventDefault();
			sendText();
		}
	});
	$("attach").addEventListener("click", () => $("file").click());
	$("file").addEventListener("change", () => {
		const file = $("file").files[0];
		$("file").value = "";
		if (file) attach(file);
	});
	$("sheet-close").addEventListener("click", closeList);
	$("sheet").addEventListener("click", (event) => {
		if (event.target === $("sheet")) closeList();
	});
	$("identity").addEventListener("submit", (event) => {
		event.preventDefault();
		const nextPhone = $("phone").value.replace(/\D/g, "");
		const nextName = $("name").value.trim();
		if (!/^\d{8,15}$/.test(nextPhone) || !nextName) {
			showError("Nomor 8-15 angka dan nama wajib diisi");
			return;
		}
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
		chat.appendChild(
			el(
				"div",
				"notice",
				"🔒 Sandbox lokal: pesan Anda menjadi webhook bertanda tangan seperti dari Meta, " +
					"dan balasan bot datang lewat Graph API palsu. Sapa dengan <b>Halo</b>.",
			),
		);
	}

	remember();
	intro();
	poll();
	setInterval(poll, 1000);
})();
