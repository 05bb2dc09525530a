import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Progress of background jobs: poll the job's status URL and move the bar.
for (const bar of document.querySelectorAll("[data-job-status-url]")) {
  const url = bar.dataset.jobStatusUrl;
  const meter = bar.querySelector("progress");
  const label = bar.querySelector("[data-job-label]");
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const job = await response.json();
      if (meter) meter.value = job.percent;
      if (label) label.textContent = job.message;
      if (job.finished) {
        if (job.redirect) window.location.assign(job.redirect);
        return;
      }
    } catch (error) {
      if (label) label.textContent = "Could not read the job's progress; retrying.";
    }
    window.setTimeout(tick, 1000);
  };
  tick();
}

// A list's filters: open above the results where there is room, folded away on a phone
// so the results come first (the page leaves them open whenever a filter is applied).
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  for (const details of document.querySelectorAll("details[data-open-when-wide]")) {
    details.open = true;
  }
}
