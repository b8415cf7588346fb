/**
 * How much a choice question may show, so that every channel the product speaks can present it.
 * The dialogue fits its options to these; a channel adapter still checks its own wire limits.
 */
export const CHOICE_LIMITS = {
	/** Answers shown as buttons under one message. */
	buttons: 3,
	buttonTitle: 20,
	/** Rows in one list; longer lists are paged. */
	listRows: 10,
	rowTitle: 24,
	rowDescription: 72,
} as const;

/** How long a message's text may be: a plain message, and the question above buttons or a list. */
export const BODY_LIMITS = {
	text: 4096,
	choice: 1024,
} as const;
