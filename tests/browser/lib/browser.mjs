// Headless Chromium (the system's /usr/bin/chromium, driven by playwright-core) and axe-core checks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const CHROMIUM_PATH = process.env.HOCVU_TEST_CHROMIUM || '/usr/bin/chromium';

export const VIEWPORTS = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
};

/** Launches headless Chromium; every launch gets its own fresh temporary profile. */
export async function launchBrowser() {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Several pages play and report at once in a test; none of them is "in the background"
        // for a person, so none may have its timers or media slowed (the video tests wait for
        // real-time playback to end).
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  } catch (err) {
    throw new Error(
      `could not launch ${CHROMIUM_PATH} (install it with scripts/install-deps.sh --test): ${err.message}`,
    );
  }
}

let axeSource;
function axeScript() {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Runs axe-core on the page's document and returns its violations (all impacts). */
export async function checkAccessibility(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    try {
      await page.addScriptTag({ content: axeScript() });
    } catch {
      // A strict Content-Security-Policy blocks that inline <script>; handled just below.
    }
    // Code evaluated through the DevTools protocol is exempt from the page's CSP.
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
      await page.evaluate(axeScript());
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
        throw new Error(`could not inject axe-core into ${page.url()}`);
      }
    }
  }
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target,
        html: n.html,
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
}

/** A readable listing of violations: rule id, impact, help, then each target selector. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
          const summary = (n.summary ?? '').split('\n').map((l) => `        ${l}`).join('\n');
          return `    - ${target}\n        ${n.html}\n${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe and throws (listing them) when any violation is serious or critical; returns the
 * milder ones, which callers may print.
 */
export async function assertAccessible(page, label = page.url()) {
  const violations = await checkAccessibility(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    throw new Error(
      `axe found ${blocking.length} serious/critical accessibility violation(s) on ${label}:\n` +
        formatViolations(blocking),
    );
  }
  return violations;
}

/**
 * Follows the header's link to `href`. On a phone the links are in the "Menu" disclosure
 * (<details>), opened first when closed; on a wide screen they are in the bar.
 */
export async function clickMenuLink(page, href) {
  await openMenu(page);
  await page.click(`header a[href="${href}"]`);
}

/** Opens the header's "Menu" disclosure when it is shown closed (a phone); a no-op elsewhere. */
export async function openMenu(page) {
  const toggle = page.locator('header .site-menu__toggle');
  if (await toggle.isVisible()) {
    const open = await page.locator('header details.site-menu').evaluate((d) => d.open);
    if (!open) await toggle.click();
  }
}
