import type { OperatorNumber } from "../requests/operator-identity";
import controlsCss from "./chat-controls.css";
import pageScript from "./chat-page.client.js";
import pageCss from "./chat-page.css";

/**
 * The chat simulator page: one self-contained HTML document (CSS and a plain-JS script inline, no
 * framework, no CDN) that looks and behaves like a WhatsApp chat with the office's number. The
 * styles and the browser script are files of their own (linted), read as text by the bundler.
 */
function ChatPage(props: { office: string; businessNumber: string; operators: OperatorNumber[] }) {
	return (
		<html lang="id">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{props.office} · WhatsApp sandbox</title>
				<style dangerouslySetInnerHTML={{ __html: pageCss + controlsCss }} />
			</head>
			<body data-office={props.office}>
				<div class="phone">
					<header>
						<div class="avatar" aria-hidden="true">
							D
						</div>
						<div class="who">
							<b>{props.office}</b>
							<small>Akun bisnis · +{props.businessNumber} · sandbox lokal</small>
						</div>
						<a href="/dev/chat" target="_blank" rel="noopener" title="Buka warga lain di tab baru">
							+ Tab
						</a>
					</header>
					<form class="identity" id="identity">
						<label>
							No. HP{" "}
							<input
								id="phone"
								name="phone"
								inputmode="numeric"
								pattern="\d{8,15}"
								required
								list="operators"
								data-testid="phone"
							/>
						</label>
						{/* Registered operators' numbers: pick one to play an operator filing for residents. */}
						<datalist id="operators" data-testid="operators">
							{props.operators.map((o) => (
								<option value={o.phone} label={`Operator kelurahan: ${o.name}`} />
							))}
						</datalist>
						<label>
							Nama <input id="name" name="name" maxlength={100} required data-testid="name" />
						</label>
						<button type="submit">Pakai</button>
					</form>
					<main id="chat" aria-live="polite" data-testid="chat" />
					<footer>
						<button
							type="button"
							class="round"
							id="attach"
							title="Lampirkan foto atau PDF"
							aria-label="Lampirkan"
						>
							<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
								<path
									fill="currentColor"
									d="M16.5 6.5v10.6a4.5 4.5 0 0 1-9 0V5.8a3 3 0 0 1 6 0v10.3a1.5 1.5 0 0 1-3 0V6.5H9v9.6a3 3 0 0 0 6 0V5.8a4.5 4.5 0 0 0-9 0v11.3a6 6 0 0 0 12 0V6.5z"
								/>
							</svg>
						</button>
						<input
							type="file"
							id="file"
							accept="image/jpeg,image/png,application/pdf"
							hidden
							data-testid="file"
						/>
						<input
							type="text"
							id="text"
							placeholder="Ketik pesan"
							autocomplete="off"
							data-testid="composer"
						/>
						<button
							type="button"
							class="round"
							id="send"
							title="Kirim"
							aria-label="Kirim"
							data-testid="send"
						>
							<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
								<path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
							</svg>
						</button>
					</footer>
					<div class="sheet-backdrop" id="sheet" data-testid="list-sheet">
						<div class="sheet" role="dialog" aria-modal="true">
							<h2>
								<span id="sheet-title" />
								<button type="button" id="sheet-close" aria-label="Tutup">
									✕
								</button>
							</h2>
							<div class="rows" id="sheet-rows" />
						</div>
					</div>
					<div id="error" role="alert" />
				</div>
				{/* A module script: strict, and run once the document above is parsed. */}
				<script type="module" dangerouslySetInnerHTML={{ __html: pageScript }} />
			</body>
		</html>
	);
}

/** The simulator page for `office`, talking as the business number `businessNumber`. */
export function chatPage(options: {
	office: string;
	businessNumber: string;
	operators: OperatorNumber[];
}): string {
	return `<!doctype html>${(<ChatPage {...options} />).toString()}`;
}
