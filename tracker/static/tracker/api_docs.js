// The API's documentation page (templates/tracker/api_docs.html): Swagger UI is downloaded
// only when the reader asks for the console (several hundred KB), from the addresses in the
// button's data- attributes, so that no inline script is needed.
"use strict";

(function () {
  const button = document.getElementById("api-console-open");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    const stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = button.dataset.stylesheet;
    document.head.appendChild(stylesheet);
    const script = document.createElement("script");
    script.src = button.dataset.script;
    script.addEventListener("load", function () {
      document.getElementById("api-reference").hidden = true;
      window.ui = SwaggerUIBundle({
        url: button.dataset.schemaUrl,
        dom_id: "#swagger-ui",
        presets: [SwaggerUIBundle.presets.apis],
        layout: "BaseLayout",
        deepLinking: true,
        persistAuthorization: false,
      });
    });
    document.body.appendChild(script);
  });
})();
