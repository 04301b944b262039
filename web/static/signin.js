// Teams SSO: ask Teams for the user's token and trade it for a session cookie (web/auth.py checks it).
(function () {
  var status = document.getElementById("signin-status");
  var retry = document.getElementById("signin-retry");

  function within(ms, promise) {
    return Promise.race([
      promise,
      new Promise(function (_, reject) {
        setTimeout(function () { reject(new Error("timeout")); }, ms);
      }),
    ]);
  }

  function signIn() {
    retry.hidden = true;
    within(8000, microsoftTeams.app.initialize())
      .then(function () { return within(15000, microsoftTeams.authentication.getAuthToken()); })
      .then(function (token) {
        return fetch("/tab/auth", {
          method: "POST",
          headers: { Authorization: "Bearer " + token },
          credentials: "same-origin",
        });
      })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        var next = new URLSearchParams(window.location.search).get("next") || "";
        window.location.replace(/^\/tab\/[a-z]/.test(next) ? next : "/tab");
      })
      .catch(function () {
        status.textContent = status.dataset.failed;
        retry.hidden = false;
      });
  }

  retry.addEventListener("click", signIn);
  signIn();
})();
