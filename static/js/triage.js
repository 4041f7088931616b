/* The triage queue's keyboard: j/k move between mentions, x ticks one, a/r/d go to assign/respond/route,
   Enter opens the focused mention, ? shows the shortcuts. Ignored while typing in a field; every move and tick
   is announced in the page's live region. */
(function () {
  "use strict";

  var table = document.querySelector("[data-triage]");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-mention]"));
  var live = document.getElementById("triage-live");
  var counter = document.getElementById("triage-selected");
  var help = document.getElementById("triage-shortcuts");
  var current = -1;

  function announce(text) {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }

  function box(row) { return row.querySelector("input[type=checkbox][name=ids]"); }

  function ticked() { return rows.filter(function (row) { return box(row).checked; }).length; }

  function updateCounter() { if (counter) counter.textContent = ticked() + " ticked"; }

  function summary(row) {
    var link = row.querySelector("a");
    return link ? link.textContent.trim().slice(0, 120) : "";
  }

  function focusRow(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) rows[current].classList.remove("table-active");
    current = index;
    var row = rows[current];
    row.classList.add("table-active");
    row.focus();
    announce("Mention " + (current + 1) + " of " + rows.length + (box(row).checked ? ", ticked: " : ": ") + summary(row));
  }

  function toggle(row) {
    var input = box(row);
    input.checked = !input.checked;
    updateCounter();
    announce((input.checked ? "Ticked" : "Unticked") + ". " + ticked() + " ticked.");
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || target.isContentEditable) return true;
    if (tag !== "input") return false;
    return ["checkbox", "radio", "button", "submit", "reset"].indexOf((target.type || "").toLowerCase()) === -1;
  }

  function goTo(id, what) {
    if (!ticked() && current >= 0) box(rows[current]).checked = true;
    updateCounter();
    var control = document.getElementById(id);
    if (!control) return;
    control.focus();
    announce(what + ": " + ticked() + " ticked.");
  }

  rows.forEach(function (row, index) {
    row.addEventListener("focusin", function () {
      if (current >= 0 && rows[current]) rows[current].classList.remove("table-active");
      current = index;
      row.classList.add("table-active");
    });
    box(row).addEventListener("change", updateCounter);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j") { focusRow(current + 1); }
    else if (key === "k") { focusRow(current - 1); }
    else if (key === "x" && current >= 0) { toggle(rows[current]); }
    else if (key === "a") { goTo("bulk-assignee", "Assign to"); }
    else if (key === "d") { goTo("bulk-department", "Route to"); }
    else if (key === "r") { goTo("bulk-respond", "Mark responded"); }
    else if (key === "?") { if (help) { help.open = !help.open; announce(help.open ? "Shortcuts shown." : "Shortcuts hidden."); } }
    else if (key === "Enter" && current >= 0 && document.activeElement === rows[current]) {
      window.location.href = rows[current].getAttribute("data-href");
    } else { return; }
    event.preventDefault();
  });
})();
