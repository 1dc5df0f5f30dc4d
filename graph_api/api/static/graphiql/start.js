// Starts the vendored GraphiQL against this service's /graphql. Credentials go in the editor's Headers tab
// ({"Authorization": "Bearer …", "X-Purpose": "…"}); they are not persisted in the browser.
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
  var defaultQuery = [
    "# 信用监管图谱 GraphQL. Try a query, e.g. the entities whose name matches a word:",
    "{",
    "  search(query: \"科技\", first: 5) {",
    "    edges { node { kind key name } }",
    "  }",
    "}",
    "",
  ].join("\n");
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    })
  );
})();
