// /api/docs: Swagger UI (vendored in static/vendor/swagger-ui) reading the app's own OpenAPI
// document. A file of its own, not an inline script: the CSP allows scripts from 'self' only.
(function () {
  "use strict";

  window.addEventListener("DOMContentLoaded", function () {
    const root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
    window.SwaggerUIBundle({
      url: root.dataset.openapiUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      // "Try it out" sends the Bearer token typed into Authorize; the page itself holds none.
      persistAuthorization: false,
      layout: "BaseLayout",
    });
  });
})();
