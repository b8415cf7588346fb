// The console's only script (progressive enhancement: every page works without it).
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
