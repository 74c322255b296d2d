// Keeps a dashboard current: listens to the data set's event stream and
// reloads the page content when rows arrive or a refit finishes. Pages opt in
// with a data-events attribute on <main> naming the stream URL.
(() => {
  const main = document.querySelector("main[data-events]");
  if (!main || !("EventSource" in window)) return;
  const status = document.createElement("p");
  status.className = "live-status";
  status.setAttribute("role", "status");
  main.prepend(status);

  let refreshTimer = null;
  let lastRefresh = 0;
  const MIN_INTERVAL_MS = 2000;

  // Replaces <main> with the same page fetched anew, at most every two seconds.
  const refresh = () => {
    if (refreshTimer) return;
    const wait = Math.max(0, lastRefresh + MIN_INTERVAL_MS - Date.now());
    refreshTimer = setTimeout(async () => {
      refreshTimer = null;
      lastRefresh = Date.now();
      try {
        const response = await fetch(location.href, {
          headers: { accept: "text/html" },
        });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(
          await response.text(),
          "text/html",
        );
        const next = page.querySelector("main");
        if (!next) return;
        for (const child of [...main.children]) {
          if (child !== status) child.remove();
        }
        for (const child of [...next.children]) {
          main.append(document.adoptNode(child));
        }
      } catch (error) {
        status.textContent = `Live updates paused: ${error.message}`;
      }
    }, wait);
  };

  const source = new EventSource(main.dataset.events);
  source.addEventListener("hello", () => {
    status.textContent = "Live: updates as rows arrive";
  });
  source.addEventListener("rows", (event) => {
    const data = JSON.parse(event.data);
    status.textContent = `Live: ${
      data.total.toLocaleString("en-US")
    } rows (${data.added} new)`;
    refresh();
  });
  source.addEventListener("refit-started", (event) => {
    status.textContent = `Live: refitting (${JSON.parse(event.data).reason})`;
  });
  source.addEventListener("refit-progress", (event) => {
    const data = JSON.parse(event.data);
    status.textContent = `Live: refitting, ${data.stage} ${
      (data.fraction * 100).toFixed(0)
    }%`;
  });
  source.addEventListener("refit-finished", (event) => {
    const data = JSON.parse(event.data);
    status.textContent = `Live: refit done, ${data.clusters} clusters`;
    refresh();
  });
  source.addEventListener("refit-failed", (event) => {
    status.textContent = `Live: refit failed (${
      JSON.parse(event.data).error
    }); showing the last model`;
  });
  source.onerror = () => {
    status.textContent = "Live updates disconnected; retrying";
  };
})();
