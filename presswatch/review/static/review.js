// PressWatch review desk: small progressive enhancements (the pages work without them).
"use strict";

// Offer only the reason codes that fit the chosen decision (confirm / dismiss).
function wireDecisionForm(form) {
  const select = form.querySelector("select[name=reason_code]");
  if (!select) return;
  const update = () => {
    const chosen = form.querySelector("input[name=decision]:checked");
    for (const group of select.querySelectorAll("optgroup")) {
      const fits = !chosen || group.dataset.decision === chosen.value;
      group.disabled = !fits;
      group.hidden = !fits;
    }
    const option = select.selectedOptions[0];
    if (option && option.parentElement.tagName === "OPTGROUP" && option.parentElement.disabled) {
      select.value = "";
    }
  };
  for (const radio of form.querySelectorAll("input[name=decision]")) {
    radio.addEventListener("change", update);
  }
  update();
}

// Keep a submitted form from being sent twice by a double click.
function guardDoubleSubmit(form) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll("button[type=submit]")) {
      setTimeout(() => { button.disabled = true; }, 0);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.decision")) wireDecisionForm(form);
  for (const form of document.querySelectorAll("form[method=post]")) guardDoubleSubmit(form);
});
