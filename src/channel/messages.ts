/**
 * What the product sends a resident, in its own terms. A channel adapter turns these into its
 * wire format and enforces its own limits (WhatsApp's are in src/whatsapp/outbound-messages.ts).
 */

export interface TextMessage {
	body: string;
	previewUrl?: boolean;
	/** The channel's id of the message this one answers. */
	replyTo?: string;
}

export interface ChoiceButton {
	id: string;
	title: string;
}

/** A question with up to three answers shown as buttons. */
export interface ButtonsMessage {
	body: string;
	header?: string;
	footer?: string;
	buttons: ChoiceButton[];
}

export interface ListRow {
	id: string;
	title: string;
	description?: string;
}

/** A question whose answers are rows of a list behind a button. */
export interface ListMessage {
	body: string;
	header?: string;
	footer?: string;
	/** The label of the button that opens the list. */
	button: string;
	sections: { title?: string; rows: ListRow[] }[];
}

/** A file already uploaded to the channel. */
export interface MediaMessage {
	mediaId: string;
	caption?: string;
	fileName?: string;
}

/** A pre-approved message, the only kind a closed conversation window lets through. */
export interface TemplateMessage {
	name: string;
	language: string;
	/** Values for the template body's {{1}}, {{2}}, ... */
	bodyParams?: string[];
}

/** Everything the product can send a resident. */
export type OutboundMessage =
	| ({ type: "text" } & TextMessage)
	| ({ type: "buttons" } & ButtonsMessage)
	| ({ type: "list" } & ListMessage)
	| ({ type: "document" } & MediaMessage)
	| ({ type: "image" } & MediaMessage)
	| ({ type: "template" } & TemplateMessage);
