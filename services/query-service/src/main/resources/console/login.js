// The login page: the form posts to /console/login by itself; this only shows why a previous try failed.
const params = new URLSearchParams(window.location.search);
if (params.get('error') === 'invalid') {
  const alert = document.getElementById('login-error');
  const p = document.createElement('p');
  p.textContent = 'invalid token: it must be a valid, unexpired token with the admin role.';
  alert.appendChild(p);
  alert.hidden = false;
  const input = document.getElementById('token');
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'token-hint login-error');
  input.focus();
}
