// Copies the embed snippets of the dashboard and drilldown pages. Without
// JavaScript the Copy buttons stay hidden, and each snippet is a read-only
// text area whose text can be selected and copied by hand.

/** Shows a short status after a button, replacing the previous one. */
function showStatus(button, text) {
  let status = button.nextElementSibling;
  if (!status || !status.classList.contains("copy-status")) {
    status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.after(status);
  }
  status.textContent = text;
}

/**
 * Copies a text area's text. The Clipboard API needs a secure context, such
 * as https or http on localhost. Elsewhere the text is selected and copied
 * with the older execCommand, which browsers still support for this.
 */
async function copyText(field) {
  if (navigator.clipboard && globalThis.isSecureContext) {
    await navigator.clipboard.writeText(field.value);
    return true;
  }
  field.focus();
  field.select();
  return document.execCommand("copy");
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      const copied = await copyText(field);
      showStatus(button, copied ? "Copied" : "Selected: press Ctrl+C or ⌘C");
    } catch {
      field.focus();
      field.select();
      showStatus(button, "Selected: press Ctrl+C or ⌘C");
    }
  });
}
