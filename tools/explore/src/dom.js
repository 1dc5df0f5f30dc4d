// A small helper to build DOM nodes: text always goes in as text (never as HTML), so a name cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A day range as people read it: 2015-01-01 至 2023-09-01, or 2015-01-01 起 while open. */
export function window_(since, until) {
  if (!since && !until) return "";
  return until ? `${since ?? "…"} 至 ${until}` : `${since} 起`;
}
