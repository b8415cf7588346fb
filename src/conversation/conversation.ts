import { DurableObject } from "cloudflare:workers";

export class Conversation extends DurableObject<Env> {
	async ping(): Promise<string> {
		const r = await fetch("https://graph.test/x");
		return r.text();
	}
	override async alarm() {
		await fetch("https://graph.test/alarm");
	}
	async arm() {
		await this.ctx.storage.setAlarm(Date.now() + 1000);
	}
}
