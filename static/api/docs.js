// Render the OpenAPI schema as a page: one section per operation, with its
// parameters, an example request (as curl) and example answers.
(function () {
  const root = document.getElementById("api-docs");
  const index = document.getElementById("api-docs-index");
  const METHODS = ["get", "post", "put", "patch", "delete"];

  function element(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = options.text;
    if (options.id) node.id = options.id;
    if (options.href) node.href = options.href;
    for (const child of children) node.appendChild(child);
    return node;
  }

  function codeBlock(text) {
    return element("pre", { className: "bg-body-tertiary border rounded p-2 small" }, [
      element("code", { text: text }),
    ]);
  }

  function firstExample(content) {
    const examples = (content && content.examples) || {};
    const names = Object.keys(examples);
    return names.length ? examples[names[0]].value : undefined;
  }

  function curlFor(method, path, operation) {
    const params = operation.parameters || [];
    let url = path;
    for (const param of params.filter((p) => p.in === "path")) {
      const sample = param.schema && param.schema.type === "integer" ? "42" : "advertising_id";
      url = url.replace(`{${param.name}}`, param.name === "member_id" ? "6ba7b810-9dad-11d1-80b4-00c04fd430c8" : sample);
    }
    const lines = [`curl -X ${method.toUpperCase()} "$HEROW_URL${url}"`, `  -H "Authorization: Bearer $HEROW_API_KEY"`];
    const body = operation.requestBody && operation.requestBody.content;
    if (body && body["application/json"]) {
      const example = firstExample(body["application/json"]);
      lines.push(`  -H "Content-Type: application/json"`);
      if (example !== undefined) lines.push(`  -d '${JSON.stringify(example)}'`);
    } else if (body && body["multipart/form-data"]) {
      lines.push(`  -F file=@ids.csv -F mode=add`);
    }
    return lines.join(" \\\n");
  }

  function parameterTable(parameters) {
    const rows = parameters.map((param) =>
      element("tr", {}, [
        element("td", {}, [element("code", { text: param.name })]),
        element("td", { text: param.in }),
        element("td", { text: (param.schema && (param.schema.enum ? param.schema.enum.join(" | ") : param.schema.type)) || "" }),
        element("td", { text: param.description || "" }),
      ])
    );
    const head = element("tr", {}, ["Name", "In", "Type", "Description"].map((text) => element("th", { text })));
    return element("table", { className: "table table-sm" }, [element("thead", {}, [head]), element("tbody", {}, rows)]);
  }

  function responseList(responses) {
    const items = [];
    for (const [status, response] of Object.entries(responses || {})) {
      const content = response.content && response.content["application/json"];
      const example = firstExample(content);
      const item = element("div", { className: "mb-2" }, [
        element("div", {}, [element("strong", { text: status }), document.createTextNode(" " + (response.description || ""))]),
      ]);
      if (example !== undefined && Number(status) < 400) item.appendChild(codeBlock(JSON.stringify(example, null, 2)));
      items.push(item);
    }
    return items;
  }

  function operationSection(method, path, operation) {
    const anchor = operation.operationId || `${method}-${path}`;
    const section = element("section", { className: "mb-5", id: anchor }, [
      element("h2", { className: "h5" }, [
        element("span", { className: "badge text-bg-dark me-2", text: method.toUpperCase() }),
        element("code", { text: path }),
      ]),
      element("p", { text: operation.summary || "" }),
    ]);
    if (operation.description) section.appendChild(element("p", { className: "small", text: operation.description }));
    if ((operation.parameters || []).length) section.appendChild(parameterTable(operation.parameters));
    section.appendChild(element("h3", { className: "h6", text: "Example request" }));
    section.appendChild(codeBlock(curlFor(method, path, operation)));
    section.appendChild(element("h3", { className: "h6", text: "Answers" }));
    for (const item of responseList(operation.responses)) section.appendChild(item);
    index.appendChild(element("a", { className: "d-block small", href: `#${anchor}`, text: `${method.toUpperCase()} ${path}` }));
    return section;
  }

  function render(schema) {
    root.replaceChildren();
    for (const [path, item] of Object.entries(schema.paths || {})) {
      for (const method of METHODS) {
        if (item[method]) root.appendChild(operationSection(method, path, item[method]));
      }
    }
  }

  fetch(root.dataset.schemaUrl, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then(render)
    .catch((error) => {
      root.replaceChildren(element("p", { className: "text-danger", text: `The schema could not be loaded: ${error}` }));
    });
})();
