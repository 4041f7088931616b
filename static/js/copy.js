/* Copy buttons: <button data-copy="#id" hidden> (or data-copy="id") copies that element's value or text.
   Progressive enhancement: buttons stay hidden without JavaScript; the text can still be selected by hand. */
(function () {
  "use strict";

  function textOf(element) {
    if ("value" in element && element.tagName !== "BUTTON") return element.value;
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function say(button, message) {
    var scope = button.closest(".card-body") || button.parentElement;
    var status = scope && scope.querySelector(".copy-status");
    if (status) status.textContent = message;
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var ref = button.getAttribute("data-copy");
    var source = /^[#.\[]/.test(ref) ? document.querySelector(ref) : document.getElementById(ref);
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(textOf(source)).then(function () {
        button.textContent = "Copied";
        say(button, "Copied to the clipboard.");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        if (source.select) source.select();
        say(button, "Copying was refused: select the text and copy it yourself.");
      });
    });
  });
})();
