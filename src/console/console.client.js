// The console's script on every page (progressive enhancement: every page works without it).
// A "copy" button next to a token shown once copies it to the clipboard.
for (const button of document.querySelectorAll("button[data-copy]")) {
	button.hidden = false;
	button.addEventListener("click", async () => {
		const source = document.getElementById(button.dataset.copy);
		if (source === null) return;
		try {
			await navigator.clipboard.writeText(source.textContent.trim());
			button.textContent = button.dataset.copied;
		} catch {
			// No clipboard (an insecure origin, a denied permission): the text stays selectable.
			window.getSelection()?.selectAllChildren(source);
		}
	});
}

// A form that must not be posted twice (it creates something: a draft, a staff member) takes one
// click: its buttons are disabled once it is on its way, and enabled again when the browser
// shows the page from its history (Back), where the form could be sent anew.
for (const form of document.querySelectorAll("form[data-once]")) {
	form.addEventListener("submit", () => {
		for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
	});
}
window.addEventListener("pageshow", (event) => {
	if (!event.persisted) return;
	for (const button of document.querySelectorAll("form[data-once] button[type=submit]")) {
		button.disabled = false;
	}
});
