// A search box above a long checkbox list (`FilterableCheckboxSelectMultiple`): typing hides the
// choices whose label does not contain the words typed, accents and case ignored; ticked boxes
// stay ticked (and submitted) while hidden.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(box) {
    const input = box.querySelector("[data-checkbox-filter-input]");
    const empty = box.querySelector("[data-checkbox-filter-empty]");
    if (!input || input.dataset.ready) {
      return;
    }
    input.dataset.ready = "true";
    input.hidden = false;
    const options = Array.from(box.querySelectorAll("input[type=checkbox]")).map((checkbox) => {
      const label = checkbox.closest("label");
      return { row: label ? label.parentElement : checkbox, text: fold(label ? label.textContent : "") };
    });
    input.addEventListener("input", () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      options.forEach((option) => {
        const match = words.every((word) => option.text.includes(word));
        option.row.hidden = !match;
        shown += match ? 1 : 0;
      });
      if (empty) {
        empty.hidden = shown > 0;
      }
    });
    // Enter in the search box filters; it never submits the page form.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-checkbox-filter]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
