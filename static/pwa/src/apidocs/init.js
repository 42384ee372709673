// Starts Swagger UI on /api/v1/docs; a file, not inline script, so the page keeps the strict CSP.
window.addEventListener("load", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#reference",
    deepLinking: true,
    tryItOutEnabled: false,
  });
});
