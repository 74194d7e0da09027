// The hosted card form's script, served as /elements/card.js. It runs in the frame on the
// Worker's origin: it posts the card to POST /v1/tokens with the publishable key and hands the
// parent page only the single-use token, by postMessage to the one origin the page was made for.
// The card never leaves the frame except to this origin.
export const CARD_FORM_SCRIPT = `(() => {
  "use strict";
  const form = document.getElementById("card-form");
  if (!form) return;
  const key = form.dataset.key;
  const parentOrigin = form.dataset.parent;
  const error = document.getElementById("error");
  const button = document.getElementById("submit");
  const field = (name) => form.elements.namedItem(name).value.trim();
  const tell = (message) => window.parent.postMessage({ type: "portico.card", ...message }, parentOrigin);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    button.disabled = true;
    try {
      const response = await fetch("/v1/tokens", {
        method: "POST",
        headers: {
          "Authorization": "Bearer " + key,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        body: JSON.stringify({
          params: {
            card: {
              number: field("number"),
              exp_month: Number(field("exp_month")),
              exp_year: Number(field("exp_year")),
              cvc: field("cvc"),
            },
          },
        }),
      });
      const body = await response.json();
      if (body.error) {
        error.textContent = body.error.message;
        tell({ error: { code: body.error.code, reason: body.error.reason } });
        return;
      }
      form.reset();
      tell({ token: body.result.id, card: { brand: body.result.card.brand, last4: body.result.card.last4 } });
    } catch {
      error.textContent = "The card could not be sent. Try again.";
    } finally {
      button.disabled = false;
    }
  });
})();
`;
