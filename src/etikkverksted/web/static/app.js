// etikkverksted: the page works without this script; with it, the plan follows the form as
// it changes, a chosen template is checked at once, and the build shows its progress and
// downloads the zip without leaving the page. No third-party code.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function filenameFrom(disposition) {
    var star = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
    if (star) { return decodeURIComponent(star[1]); }
    var plain = /filename="([^"]+)"/i.exec(disposition || "");
    return plain ? plain[1] : "pakke.zip";
  }

  function init() {
    var form = document.getElementById("meeting");
    if (!form) { return; }
    var plan = document.getElementById("plan");
    var status = document.getElementById("build-status");
    var timer = null;
    var sequence = 0;

    function planData() {
      var data = new FormData(form);
      data.delete("template");
      data.delete("docx_template");
      return data;
    }

    function updatePlan() {
      var mine = ++sequence;
      plan.setAttribute("aria-busy", "true");
      fetch("/fragments/plan", { method: "POST", body: planData(), credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (mine === sequence && html !== null) { plan.innerHTML = html; }
        })
        .catch(function () { /* the button still works */ })
        .finally(function () {
          if (mine === sequence) { plan.setAttribute("aria-busy", "false"); }
        });
    }

    function schedule(event) {
      var target = event.target;
      if (!target || target.type === "file" || target.name === "spec_file") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(updatePlan, 40);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);

    Array.prototype.forEach.call(form.querySelectorAll("input[data-template-check]"),
      function (input) {
        input.addEventListener("change", function () {
          var report = document.getElementById(input.id + "-report");
          if (!input.files || !input.files.length) { report.textContent = ""; return; }
          var data = new FormData();
          data.append("csrf", form.elements.csrf.value);
          data.append("ui", form.elements.ui.value);
          data.append("field", input.name);
          data.append(input.name, input.files[0]);
          report.textContent = status.getAttribute("data-checking") || "…";
          fetch("/fragments/template", { method: "POST", body: data, credentials: "same-origin" })
            .then(function (response) { return response.text(); })
            .then(function (html) { report.innerHTML = html; })
            .catch(function () { report.textContent = ""; });
        });
      });

    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.id !== "build") { return; }
      event.preventDefault();
      var progress = document.createElement("progress");
      progress.setAttribute("aria-label", status.getAttribute("data-working"));
      status.textContent = status.getAttribute("data-working") + " ";
      status.appendChild(progress);
      button.disabled = true;
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("content-type") || "";
          if (response.ok && type.indexOf("application/zip") === 0) {
            var name = filenameFrom(response.headers.get("content-disposition"));
            return response.blob().then(function (blob) {
              var link = document.createElement("a");
              link.href = URL.createObjectURL(blob);
              link.download = name;
              link.hidden = true;
              document.body.appendChild(link);
              link.click();
              window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); },
                                60000);
              status.textContent = status.getAttribute("data-done").replace("{name}", name);
            });
          }
          return response.text().then(function (html) {
            // The answer is the page with the messages next to their fields: show it.
            var page = new DOMParser().parseFromString(html, "text/html");
            var main = page.getElementById("main");
            if (!main) { throw new Error("no page"); }
            document.getElementById("main").replaceWith(main);
            init();
            var summary = document.getElementById("error-summary");
            (summary || main).focus();
          });
        })
        .catch(function () {
          status.textContent = status.getAttribute("data-failed");
        })
        .finally(function () { button.disabled = false; });
    });
  }

  init();
}());
