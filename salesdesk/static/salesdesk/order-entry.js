// Order entry (U2): lines pasted from Excel, new lines, Enter through the grid, the customer's
// last price. Everything here also works without JavaScript through the form's buttons; the
// server computes every amount. parsePasted follows salesdesk/orders/paste.py exactly.
(() => {
  "use strict";

  const COLUMNS = ["sku", "quantity", "unit_price", "discount_rate"];
  const SPACES = "\t\n\v\f\r \u00a0\u3000\ufeff";
  const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
  const NOISE = new RegExp("[,¥￥$" + SPACES + "]", "g");

  function trim(text) {
    let start = 0;
    let end = text.length;
    while (start < end && SPACES.includes(text[start])) start += 1;
    while (end > start && SPACES.includes(text[end - 1])) end -= 1;
    return text.slice(start, end);
  }

  function cleanNumber(text) {
    const trimmed = trim(text || "");
    const compact = trimmed.replace(NOISE, "");
    return NUMBER.test(compact) ? compact : trimmed;
  }

  // "12.5" → "0.125" by moving the point on the digits: no floating-point rounding.
  function fractionOfPercent(number) {
    const sign = number.startsWith("-") ? "-" : "";
    const digits = number.replace(/^-+/, "");
    const point = digits.indexOf(".");
    const whole = (point < 0 ? digits : digits.slice(0, point)).padStart(3, "0");
    const fraction = point < 0 ? "" : digits.slice(point + 1);
    const head = whole.slice(0, -2).replace(/^0+/, "") || "0";
    const tail = (whole.slice(-2) + fraction).replace(/0+$/, "");
    const text = tail ? head + "." + tail : head;
    return text === "0" ? text : sign + text;
  }

  function cleanRate(text) {
    const trimmed = trim(text || "");
    if (trimmed.endsWith("%")) {
      const number = cleanNumber(trimmed.slice(0, -1));
      if (NUMBER.test(number)) return fractionOfPercent(number);
    }
    return cleanNumber(trimmed);
  }

  function isText(cell) {
    return cell !== "" && !NUMBER.test(cell);
  }

  function parsePasted(text) {
    const rows = [];
    for (const raw of (text || "").split(/\r\n|\r|\n/)) {
      const cells = raw.split("\t").map(trim);
      if (!cells.some((cell) => cell !== "")) continue;
      while (cells.length < COLUMNS.length) cells.push("");
      rows.push({
        sku: cells[0].toUpperCase(),
        quantity: cleanNumber(cells[1]),
        unit_price: cleanNumber(cells[2]),
        discount_rate: cleanRate(cells[3]),
      });
    }
    if (rows.length && isText(rows[0].quantity) && isText(rows[0].unit_price)) rows.shift();
    return rows;
  }

  window.salesdeskOrderEntry = { parsePasted };

  const body = document.getElementById("order-lines-body");
  const template = document.getElementById("line-row-template");
  if (!body || !template) return;

  const lineRows = () => Array.from(body.querySelectorAll("tr[data-line]"));
  const cell = (row, name) => row.querySelector(`input[name$="-${name}"]`);
  const isEmpty = (row) => Array.from(row.querySelectorAll("input")).every((input) => !input.value.trim());

  function addRow() {
    const index = String(lineRows().length + 1);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__N__", index));
    const row = body.lastElementChild;
    if (window.htmx) window.htmx.process(row);
    return row;
  }

  // Fill rows from `start` on: the first one always (it is where the user pasted), later
  // rows only while empty; new rows are added as needed.
  function fillRows(items, start, overwriteFirst) {
    let position = start;
    let first = null;
    for (const item of items) {
      const rows = lineRows();
      while (position < rows.length && !isEmpty(rows[position]) && !(overwriteFirst && !first)) {
        position += 1;
      }
      const row = position < rows.length ? rows[position] : addRow();
      for (const name of COLUMNS) cell(row, name).value = item[name];
      cell(row, "sku").dispatchEvent(new Event("change", { bubbles: true }));
      first = first || row;
      position += 1;
    }
    return first;
  }

  function recalculate() {
    const button = document.getElementById("recalculate");
    if (button && window.htmx) {
      window.htmx.ajax("POST", button.getAttribute("hx-post"), { source: button, target: "#order-totals" });
    }
  }

  function announce(count) {
    const status = document.getElementById("paste-status");
    if (status) status.textContent = (status.dataset.template || "{n}").replace("{n}", String(count));
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-add-line]")) {
      event.preventDefault();
      cell(addRow(), "sku").focus();
      return;
    }
    if (!event.target.closest("[data-paste-apply]")) return;
    event.preventDefault();
    const box = document.getElementById("paste-lines");
    const items = parsePasted(box.value);
    if (!items.length) {
      box.focus();
      return;
    }
    const first = fillRows(items, 0, false);
    box.value = "";
    announce(items.length);
    cell(first, "quantity").focus();
    recalculate();
  });

  // Pasting several cells into the grid fills the rows from there, like a spreadsheet.
  body.addEventListener("paste", (event) => {
    const input = event.target.closest("input");
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!input || !/[\t\r\n]/.test(text)) return;
    const items = parsePasted(text);
    if (!items.length) return;
    event.preventDefault();
    fillRows(items, lineRows().indexOf(input.closest("tr")), true);
    announce(items.length);
    recalculate();
  });

  // Enter moves to the next cell; in the last cell to the next row, adding one at the end.
  body.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || event.shiftKey) return;
    const input = event.target.closest("input");
    if (!input) return;
    event.preventDefault();
    const row = input.closest("tr");
    const inputs = Array.from(row.querySelectorAll("input"));
    const position = inputs.indexOf(input);
    if (position < inputs.length - 1) {
      inputs[position + 1].focus();
      return;
    }
    cell(row.nextElementSibling || addRow(), "sku").focus();
  });

  // A suggested price fills an empty price cell the user is not typing in; the price the
  // server uses for an empty cell (the customer's price-list price, else the list price)
  // shows as the placeholder.
  document.addEventListener("htmx:afterSwap", (event) => {
    const hint = event.detail.target;
    if (!hint.classList || !hint.classList.contains("line-hint")) return;
    const price = cell(hint.closest("tr"), "unit_price");
    const listed =
      hint.querySelector("data[data-default-price]") || hint.querySelector("data[data-list-price]");
    const suggested = hint.querySelector("data[data-last-price]");
    price.placeholder = listed ? listed.value : "";
    if (suggested && !price.value && document.activeElement !== price) price.value = suggested.value;
  });

  // Another customer means other last prices: ask again for the rows already filled.
  document.addEventListener("change", (event) => {
    if (event.target.id !== "id_customer" || !window.htmx) return;
    for (const row of lineRows()) {
      const sku = cell(row, "sku");
      if (sku.value.trim()) window.htmx.trigger(sku, "change");
    }
  });
})();
