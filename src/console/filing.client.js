// The draft page's uploads with progress (progressive enhancement: without this script each
// document's form posts its file and the page reloads). The file goes as the raw body of a PUT to
// the same address, by XMLHttpRequest because fetch reports no upload progress.

/** The documents' forms whose upload is on its way: Submit and leaving the page wait for them. */
const running = new Set();

/**
 * Enables the submit button once every required document has a file and no upload is running
 * (the API checks again), each reason it stays disabled shown and tied to it.
 */
function updateSubmit() {
	const missing = [...document.querySelectorAll('li.doc[data-required="true"]')].filter(
		(doc) => doc.querySelector("ul.received li") === null,
	);
	const button = document.querySelector("form.submit button[type=submit]");
	const reason = document.getElementById("missing-reason");
	const busy = document.getElementById("uploading-reason");
	if (button === null || reason === null || busy === null) return;
	// The page names the missing documents; the script only knows when none is left.
	if (missing.length === 0) reason.hidden = true;
	busy.hidden = running.size === 0;
	button.disabled = missing.length > 0 || running.size > 0;
	const why = [reason, busy].filter((el) => !el.hidden).map((el) => el.id);
	if (why.length === 0) button.removeAttribute("aria-describedby");
	else button.setAttribute("aria-describedby", why.join(" "));
}

// Leaving the page (or reloading it) would cut an upload short: the browser asks first.
window.addEventListener("beforeunload", (event) => {
	if (running.size === 0) return;
	event.preventDefault();
	event.returnValue = "";
});

/** One received file in the document's list, with its remove form (a POST, as without script). */
function addReceived(form, file, name) {
	const doc = form.closest("li.doc");
	const item = document.createElement("li");
	const text = document.createElement("span");
	text.textContent = `${form.dataset.received}: ${name} (${file.mimeType}, ${file.size} ${form.dataset.bytes})`;
	const remove = document.createElement("form");
	remove.method = "post";
	remove.action = `${form.action}/remove`;
	const id = document.createElement("input");
	id.type = "hidden";
	id.name = "fileId";
	id.value = file.id;
	const button = document.createElement("button");
	button.type = "submit";
	button.className = "secondary";
	button.textContent = form.dataset.remove;
	remove.append(id, button);
	item.append(text, " ", remove);
	doc.querySelector("ul.received").append(item);
	doc.querySelector(".none").hidden = true;
	doc.classList.add("has-file");
}

/**
 * What an upload's answer means. Only a JSON answer naming the stored file's id is a stored file:
 * after the session ended the server sends the browser to the sign-in page (a 200 page once the
 * redirect is followed) or answers 401, and either means nothing was stored.
 */
function outcome(xhr) {
	let answer = null;
	if (/json/.test(xhr.getResponseHeader("content-type") ?? "")) {
		try {
			answer = JSON.parse(xhr.responseText);
		} catch {
			// Cut short: not an answer to trust.
		}
	}
	const signInPage = /\/console\/sign-in(?:[?#]|$)/.test(xhr.responseURL ?? "");
	if (xhr.status === 401 || signInPage) return { kind: "signed-out" };
	if ((xhr.status === 200 || xhr.status === 201) && typeof answer?.id === "string") {
		return { kind: "stored", file: answer };
	}
	// A proxy's page, or a problem: its words when it has them.
	return {
		kind: "failed",
		why: answer?.detail || answer?.title || (xhr.status === 200 ? "" : `HTTP ${xhr.status}`),
	};
}

/** The session ended: say so, with a sign-in link in a new tab, so that this page and its files stay. */
function signedOut(form, error) {
	const link = document.createElement("a");
	link.href = form.dataset.signIn;
	link.target = "_blank";
	link.textContent = form.dataset.signInAgain;
	error.replaceChildren(`${form.dataset.sessionEnded} `, link);
}

for (const form of document.querySelectorAll("form[data-upload]")) {
	const input = form.querySelector("input[type=file]");
	const progress = form.querySelector("progress");
	const output = form.querySelector("output");
	const box = form.querySelector(".progress");
	const error = form.querySelector(".field-error");
	const button = form.querySelector("button[type=submit]");
	if (form.closest("li.doc").querySelector("ul.received li") !== null) {
		form.closest("li.doc").classList.add("has-file");
	}
	/** The upload ended, whichever way: the form takes a file again. */
	const finish = () => {
		running.delete(form);
		button.disabled = false;
		input.disabled = false;
		updateSubmit();
	};
	const send = () => {
		// One upload a form at a time: a second choice waits until the first is answered.
		if (running.has(form)) return;
		const file = input.files[0];
		if (file === undefined) return;
		// What the API would refuse, said before a byte is sent (it checks again).
		const accepted = (form.dataset.accept ?? "").split(",").filter((t) => t !== "");
		const refusal =
			file.size > Number(form.dataset.maxBytes)
				? form.dataset.tooBig
				: file.type !== "" && accepted.length > 0 && !accepted.includes(file.type)
					? form.dataset.wrongType
					: navigator.onLine === false
						? form.dataset.offline
						: null;
		if (refusal !== null) {
			error.textContent = refusal;
			input.value = "";
			return;
		}
		const xhr = new XMLHttpRequest();
		// A stalled upload ends with a word rather than a progress bar that never moves.
		xhr.timeout = Number(form.dataset.timeoutMs);
		xhr.open("PUT", form.action);
		xhr.setRequestHeader("content-type", file.type === "" ? "application/octet-stream" : file.type);
		xhr.setRequestHeader("accept", "application/json");
		box.hidden = false;
		running.add(form);
		button.disabled = true;
		input.disabled = true;
		updateSubmit();
		error.textContent = "";
		progress.value = 0;
		output.textContent = "0%";
		xhr.upload.addEventListener("progress", (event) => {
			if (!event.lengthComputable) return;
			const pct = Math.round((event.loaded / event.total) * 100);
			progress.value = pct;
			output.textContent = `${pct}%`;
		});
		xhr.addEventListener("load", () => {
			const answer = outcome(xhr);
			if (answer.kind === "stored") {
				progress.value = 100;
				output.textContent = "100%";
				addReceived(form, answer.file, file.name);
				input.value = "";
			}
			finish();
			if (answer.kind === "stored") return;
			box.hidden = true;
			if (answer.kind === "signed-out") {
				signedOut(form, error);
				return;
			}
			error.textContent =
				answer.why === "" ? form.dataset.failed : `${form.dataset.failed}: ${answer.why}`;
		});
		const stopped = (words) => () => {
			finish();
			box.hidden = true;
			error.textContent = words;
		};
		xhr.addEventListener("error", () =>
			stopped(navigator.onLine === false ? form.dataset.offline : form.dataset.failed)(),
		);
		xhr.addEventListener("timeout", stopped(form.dataset.timedOut));
		xhr.addEventListener("abort", stopped(form.dataset.failed));
		xhr.send(file);
	};
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		send();
	});
	// Choosing (or photographing) a file starts its upload: one step less on a phone.
	input.addEventListener("change", send);
}
