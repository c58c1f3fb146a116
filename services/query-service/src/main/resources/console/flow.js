// Sending a person to a provider: open a window from the click (so no popup blocker stops it), point it at the
// provider's redirect_url once the hub has answered, and poll a status read until it says what we wait for.

/** Opens an empty window now, from the user's click; returns it (or null when the browser refused). */
export function openFromClick() {
  const w = window.open('', '_blank');
  if (w) {
    try {
      w.opener = null;
    } catch (e) {
      // Some browsers do not allow it; the provider page cannot reach the console anyway (different origin).
    }
  }
  return w;
}

/** Points the window opened by openFromClick at url, or opens a new one. */
export function navigate(w, url) {
  if (w && !w.closed) w.location.href = url;
  else window.open(url, '_blank');
}

/** Calls check() every `every` ms until it returns true or `timeout` ms pass; resolves to the last answer. */
export function pollUntil(check, {every = 1500, timeout = 180000} = {}) {
  const end = Date.now() + timeout;
  return new Promise((resolve) => {
    const tick = async () => {
      let done = false;
      try {
        done = await check();
      } catch (e) {
        done = false;
      }
      if (done || Date.now() > end) resolve(done);
      else setTimeout(tick, every);
    };
    tick();
  });
}
