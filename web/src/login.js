// The entry of the page templates/login.html: the sign-in form works without
// script; this only lets the user see the token they pasted, and trims the
// spaces a copy from an e-mail brings along.
const token = document.getElementById('token');
const show = document.getElementById('visa-token');
if (token && show) {
  show.addEventListener('change', () => {
    token.type = show.checked ? 'text' : 'password';
  });
  token.form.addEventListener('submit', () => {
    token.value = token.value.trim();
  });
}
