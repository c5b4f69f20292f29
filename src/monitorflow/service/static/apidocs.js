// Starts Swagger UI or ReDoc (served from /static/apidocs/) on the element that names it: no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.querySelector("[data-viewer]");
  if (!root) return;
  if (root.dataset.viewer === "swagger") {
    window.ui = SwaggerUIBundle({
      url: root.dataset.spec, dom_id: "#swagger-ui", layout: "BaseLayout", deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
      showExtensions: true, showCommonExtensions: true,
    });
  } else if (root.dataset.viewer === "redoc") {
    Redoc.init(root.dataset.spec, { hideDownloadButton: false }, root);
  }
});
