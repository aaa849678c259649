// Choosing a person by typing: the ARIA 1.2 combobox with a listbox popup
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). It enhances two kinds of element;
// without JavaScript both still work as plain forms (see ankommen/person_picker.py):
//  - <select data-person-picker="URL"> in a form that posts the chosen id. The select is
//    hidden but keeps the value; the search form meant for it ([data-person-search-for]) is
//    hidden too, since one now searches while typing.
//  - <input data-person-picker="URL" data-person-picker-value="NAME"> in a search form:
//    choosing writes the id into the form's field NAME (and submits the form when the input
//    has data-person-picker-submit).
// The URL answers {"results": [{"id", "name", "details": [...]}], "status": "3 people found."}
// in the page's language; "status" is read out by screen readers.
(() => {
  "use strict";

  const DELAY_MS = 200;
  let pickers = 0;

  function combobox(input, url, onPick, onEdit) {
    pickers += 1;
    const listId = `person-picker-${pickers}`;
    const wrapper = document.createElement("div");
    wrapper.className = "person-picker";
    input.before(wrapper);
    wrapper.append(input);

    const list = document.createElement("ul");
    list.id = listId;
    list.className = "person-picker-list list-group";
    list.setAttribute("role", "listbox");
    const label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || `${listId}-label`;
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.append(list, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    let results = [];
    let active = -1;
    let timer = 0;
    let asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!results.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      active = index;
      Array.from(list.children).forEach((option, position) => {
        const on = position === index;
        option.classList.toggle("active", on);
        option.setAttribute("aria-selected", on ? "true" : "false");
        if (on) {
          input.setAttribute("aria-activedescendant", option.id);
          option.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function pick(index) {
      const entry = results[index];
      if (!entry) return;
      input.value = entry.name;
      close();
      status.textContent = `${entry.name} · ${entry.details.join(" · ")}`;
      onPick(entry);
    }

    function render() {
      list.replaceChildren(
        ...results.map((entry, index) => {
          const option = document.createElement("li");
          option.id = `${listId}-option-${index}`;
          option.className = "list-group-item list-group-item-action";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          const name = document.createElement("span");
          name.className = "fw-semibold";
          name.textContent = entry.name;
          const details = document.createElement("span");
          details.className = "d-block small person-picker-details";
          details.textContent = entry.details.join(" · ");
          option.append(name, details);
          // Keeps the focus in the box, so the click picks instead of closing the list.
          option.addEventListener("mousedown", (event) => event.preventDefault());
          option.addEventListener("click", () => pick(index));
          return option;
        }),
      );
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (results.length && document.activeElement === input) open();
      else close();
    }

    async function search() {
      const text = input.value.trim();
      asked += 1;
      const ticket = asked;
      if (!text) {
        results = [];
        render();
        status.textContent = "";
        return;
      }
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        if (ticket !== asked) return; // a later keystroke asked again
        results = data.results;
        render();
        status.textContent = data.status;
      } catch (error) {
        if (ticket !== asked) return;
        results = [];
        render();
      }
    }

    input.addEventListener("input", () => {
      onEdit();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const count = results.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) return;
          event.preventDefault();
          open();
          highlight(active < count - 1 ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!count) return;
          event.preventDefault();
          open();
          highlight(active > 0 ? active - 1 : count - 1);
          break;
        case "Enter":
          if (list.hidden) return;
          if (active >= 0 || count === 1) {
            event.preventDefault();
            pick(active >= 0 ? active : 0);
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            results = [];
            onEdit();
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    input.addEventListener("blur", close);
    input.addEventListener("focus", open);
  }

  function enhanceSelect(select) {
    const input = document.createElement("input");
    input.type = "text";
    input.className = "form-control";
    input.placeholder = select.dataset.placeholder || "";
    const describedBy = select.getAttribute("aria-describedby");
    if (describedBy) input.setAttribute("aria-describedby", describedBy);
    if (select.classList.contains("is-invalid")) input.classList.add("is-invalid");
    const fallback = document.querySelector(`[data-person-search-for="${select.id}"]`);
    if (fallback) fallback.hidden = true;
    // The label names the box one types into; the select keeps the value for the form.
    input.id = select.id;
    select.id = `${select.id}-value`;
    const chosen = select.selectedOptions[0];
    if (chosen && chosen.value) input.value = chosen.dataset.name || chosen.textContent;
    select.hidden = true;
    select.before(input);
    combobox(
      input,
      select.dataset.personPicker,
      (entry) => {
        const value = String(entry.id);
        let option = Array.from(select.options).find((candidate) => candidate.value === value);
        if (!option) {
          option = new Option(entry.name, value);
          select.add(option);
        }
        select.value = value;
      },
      () => {
        select.value = "";
      },
    );
  }

  function enhanceInput(input) {
    const { form } = input;
    const field = form && form.elements.namedItem(input.dataset.personPickerValue);
    if (!field) return;
    combobox(
      input,
      input.dataset.personPicker,
      (entry) => {
        field.value = String(entry.id);
        if ("personPickerSubmit" in input.dataset) form.requestSubmit();
      },
      () => {
        field.value = "";
      },
    );
  }

  document.querySelectorAll("select[data-person-picker]").forEach(enhanceSelect);
  document.querySelectorAll("input[data-person-picker]").forEach(enhanceInput);
})();
