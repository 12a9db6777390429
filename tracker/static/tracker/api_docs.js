// Starts Swagger UI on the API's documentation page (templates/tracker/api_docs.html): the
// schema's address comes from a data- attribute, so that no inline script is needed.
"use strict";

(function () {
  const node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  window.ui = SwaggerUIBundle({
    url: node.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: false,
  });
})();
