// The entry page keeps what is typed in this browser (localStorage) until the server has it, so
// that a dropped connection, a crash or a closed window loses nothing (issue 14):
//
// - kept per user, plan, period and institution (the form's data-keep), form by form: only the
//   fields that differ from what the server sent, with the version the page was built from
//   (restored too, so that the server still refuses input older than someone else's save);
// - offered back on the next visit with a banner (put back / discard), never restored on its
//   own; what the page already shows (saved since) is dropped without a word;
// - cleared for the forms the server says it saved (the form's data-saved);
// - a warning before leaving while input is not saved.
// A read-only page (closed period) has no form[data-keep]: nothing is kept or cleared there.
(function () {
  "use strict";

  var form = document.querySelector("form[data-keep]");
  if (!form) { return; }
  var storage;
  try { storage = window.localStorage; } catch (error) { storage = null; }
  var key = "nap1325-entry:" + form.getAttribute("data-keep");
  var cards = {};
  form.querySelectorAll("[data-entry-form]").forEach(function (card) {
    cards[card.getAttribute("data-entry-form")] = card;
  });
  var live = {};     // prefix → {version, fields}: input on this page the server does not have
  var pending = {};  // prefix → {version, fields}: kept from an earlier visit, not decided yet
  var submitting = false;

  function fieldsOf(card) {
    return Array.prototype.filter.call(
      card.querySelectorAll("input[name], select[name], textarea[name]"),
      function (element) {
        return !element.disabled &&
          ["file", "hidden", "submit", "button"].indexOf(element.type) < 0;
      }
    );
  }

  function served(element) {
    if (element.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(element.options, function (option) {
        return option.defaultSelected;
      })[0] || element.options[0];
      return chosen ? chosen.value : "";
    }
    if (element.type === "checkbox" || element.type === "radio") {
      return element.defaultChecked ? element.value : "";
    }
    return element.defaultValue;
  }

  function valueOf(element) {
    if (element.type === "checkbox" || element.type === "radio") {
      return element.checked ? element.value : "";
    }
    return element.value;
  }

  function same(a, b) {
    return String(a).replace(/\s+/g, " ").trim() === String(b).replace(/\s+/g, " ").trim();
  }

  function versionInput(card) {
    return card.querySelector("input[name='" + card.getAttribute("data-entry-form") + "-version']");
  }

  // What the card holds that the server does not: every field of a card the server refused
  // (data-unsaved: its input came back unsaved), else the fields changed since the page came.
  function unsaved(card) {
    var everything = card.hasAttribute("data-unsaved"), fields = {}, any = false;
    fieldsOf(card).forEach(function (element) {
      if (everything || !same(valueOf(element), served(element))) {
        fields[element.name] = valueOf(element);
        any = any || !same(valueOf(element), served(element)) || valueOf(element) !== "";
      }
    });
    if (!any) { return null; }
    var version = versionInput(card);
    return {version: version ? version.value : "", fields: fields};
  }

  function read() {
    try {
      var kept = JSON.parse(storage.getItem(key));
      return kept && kept.forms ? kept : {forms: {}};
    } catch (error) {
      return {forms: {}};
    }
  }

  function write() {
    var forms = {};
    Object.keys(pending).forEach(function (prefix) { forms[prefix] = pending[prefix]; });
    Object.keys(live).forEach(function (prefix) {
      var earlier = pending[prefix];
      forms[prefix] = earlier ? {
        version: earlier.version,
        fields: Object.assign({}, earlier.fields, live[prefix].fields)
      } : live[prefix];
    });
    try {
      if (Object.keys(forms).length) {
        storage.setItem(key, JSON.stringify({at: new Date().toISOString(), forms: forms}));
      } else {
        storage.removeItem(key);
      }
    } catch (error) {
      // Storage full or refused: the warning before leaving still protects the input.
    }
  }

  function remember(card) {
    var prefix = card.getAttribute("data-entry-form"), input = unsaved(card);
    if (input) { live[prefix] = input; } else { delete live[prefix]; }
    write();
  }

  // Does the page show something else than what was kept for this card?
  function differs(card, kept) {
    return Object.keys(kept.fields || {}).some(function (name) {
      var element = card.querySelector("[name='" + name + "']");
      return element && !element.disabled && !same(valueOf(element), kept.fields[name]);
    });
  }

  function restore(prefix) {
    var card = cards[prefix], kept = pending[prefix];
    Object.keys(kept.fields).forEach(function (name) {
      var element = card.querySelector("[name='" + name + "']");
      if (!element || element.disabled) { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = element.value === kept.fields[name];
      } else {
        element.value = kept.fields[name];
      }
      element.dispatchEvent(new Event("input", {bubbles: true}));
    });
    var version = versionInput(card);
    if (version && kept.version !== "") { version.value = kept.version; }
    delete pending[prefix];
    remember(card);
  }

  function offer(prefixes, at) {
    var banner = document.getElementById("entry-restore");
    if (!banner || !prefixes.length) { return; }
    banner.querySelector("[data-restore-codes]").textContent = prefixes.map(function (prefix) {
      return cards[prefix].getAttribute("data-code");
    }).join(", ");
    var when = at ? new Date(at) : null;
    if (when && !isNaN(when)) {
      banner.querySelector("[data-restore-when]").textContent =
        "(" + when.toLocaleString(document.documentElement.lang || undefined) + ")";
    }
    banner.classList.remove("d-none");
    banner.querySelector("[data-restore]").addEventListener("click", function () {
      prefixes.forEach(restore);
      banner.classList.add("d-none");
      var status = document.getElementById("entry-restored");
      if (status) { status.textContent = status.getAttribute("data-restored-text"); }
      var first = cards[prefixes[0]].querySelector("[tabindex='-1']");
      if (first) { first.focus(); }
    });
    banner.querySelector("[data-discard]").addEventListener("click", function () {
      prefixes.forEach(function (prefix) { delete pending[prefix]; });
      banner.classList.add("d-none");
      write();
    });
  }

  if (storage) {
    var kept = read(), offered = [];
    (form.getAttribute("data-saved") || "").split(/\s+/).forEach(function (prefix) {
      delete kept.forms[prefix];  // the server has it now
    });
    Object.keys(kept.forms).forEach(function (prefix) {
      var card = cards[prefix];
      if (!card) {
        pending[prefix] = kept.forms[prefix];  // not on the page (a filter): kept for later
      } else if (differs(card, kept.forms[prefix])) {
        pending[prefix] = kept.forms[prefix];
        offered.push(prefix);
      }
    });
    Object.keys(cards).forEach(function (prefix) {
      var input = unsaved(cards[prefix]);
      if (input) { live[prefix] = input; }
    });
    write();
    offer(offered, kept.at);
    ["input", "change"].forEach(function (type) {
      form.addEventListener(type, function (event) {
        var card = event.target.closest && event.target.closest("[data-entry-form]");
        if (card) { remember(card); }
      });
    });
  }

  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (submitting) { return; }
    var changed = Object.keys(cards).some(function (prefix) { return unsaved(cards[prefix]); });
    if (!changed) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
}());
