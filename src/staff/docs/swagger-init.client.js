// Starts Swagger UI on the staff API's own document. A file of its own, served by the Worker, so
// that the docs page's Content-Security-Policy needs no inline script.
window.addEventListener("load", () => {
	window.ui = window.SwaggerUIBundle({
		url: "/api/v1/openapi.json",
		dom_id: "#swagger-ui",
		deepLinking: true,
	});
});
