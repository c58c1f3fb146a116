// The login page. Without script the form posts to /console/login by itself. With it, the same POST goes through
// fetch, so a refusal is shown here without a page load and the console opens once signed in.
const form = document.querySelector('form');
const input = document.getElementById('token');
const alert = document.getElementById('login-error');

function showInvalid() {
  while (alert.firstChild) alert.removeChild(alert.firstChild);
  const p = document.createElement('p');
  p.textContent = 'invalid token: it must be a valid, unexpired token with the admin role.';
  alert.appendChild(p);
  alert.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'token-hint login-error');
  input.focus();
}

const params = new URLSearchParams(window.location.search);
if (params.get('error') === 'invalid' || params.get('error') === 'expired') showInvalid();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = new URLSearchParams({token: input.value.trim()});
  try {
    // Followed, the redirect says how it went: back to the login page with ?error=..., or on into the console.
    const res = await fetch('/console/login', {method: 'POST', body, credentials: 'same-origin'});
    if (!new URL(res.url).pathname.endsWith('/login.html')) {
      input.value = '';
      window.location.assign('/console/');
      return;
    }
  } catch (e) {
    // Network trouble reads the same as a refusal: nothing was signed in.
  }
  history.replaceState(null, '', '/console/login.html?error=invalid');
  showInvalid();
});
