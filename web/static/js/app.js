// Progressive enhancement only: every page works without this file.
// Marks that scripts run, so CSS can offer enhanced controls where they exist.
document.documentElement.classList.add('js');
