import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

/** Signs in through the login page (as a person would) and waits for the header to name them. */
export async function signIn(page: Page, email: string, password: string, name: string, path = '/inbox') {
  await page.goto(path);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('me')).toHaveText(name);
}

/** A full-page screenshot kept as a test artifact (test/browser/artifacts/screenshots, not committed). */
export async function screenshot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  await page.waitForLoadState('networkidle');
  // The page at rest: a select's dropdown still closing keeps its screen-reader listbox (antd gives it no
  // name) on the page for a moment, and axe would count that against the page.
  await expect(page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')).toHaveCount(0);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect
    .soft(
      bad.map(
        (v) =>
          `${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')})`,
      ),
    )
    .toEqual([]);
}

const SELECT_ROOT =
  'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]';

/**
 * Picks `option` in the antd Select labelled `label`, single or multiple, and returns once the select shows
 * it chosen. The dropdown is found by the listbox id the select's input owns (`<id>_list`), so a second
 * dropdown still animating closed is never the one clicked; a click that lands during an animation and is
 * lost is tried again until the choice shows (or the deadline passes). The virtual list is scrolled until
 * the option is rendered. An option already chosen is left as
 * it is (a second click would take it off a multiple select). A multiple select's dropdown, which stays open
 * after a pick, is closed with Escape so it covers nothing the test clicks next.
 */
export async function choose(
  page: Page,
  label: string | RegExp,
  option: string,
  scope: Page | Locator = page,
) {
  const input = scope.getByLabel(label, { exact: true });
  const root = input.locator(SELECT_ROOT);
  const multiple = await root.evaluate((el) => el.classList.contains('ant-select-multiple'));
  const title = JSON.stringify(option);
  const chosen = root.locator(
    multiple ? `.ant-select-selection-item[title=${title}]` : `.ant-select-content[title=${title}]`,
  );
  const listId = `${await input.getAttribute('id')}_list`;
  const dropdown = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  const item = dropdown.locator(`.ant-select-item-option[title=${title}]`);
  await expect(async () => {
    if ((await chosen.count()) > 0) return;
    if ((await input.getAttribute('aria-expanded')) !== 'true') await input.click({ timeout: 2_000 });
    // The list is virtual: an option far down is only rendered once the list scrolls to it.
    const holder = dropdown.locator('.ant-select-dropdown-list-holder');
    for (let turn = 0; turn < 40 && (await item.count()) === 0; turn++) {
      await holder.hover({ timeout: 2_000 });
      await page.mouse.wheel(0, 160);
    }
    await item.click({ timeout: 2_000 });
    await expect(chosen).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  if (multiple && (await input.getAttribute('aria-expanded')) === 'true') {
    await input.press('Escape');
    await expect(input).not.toHaveAttribute('aria-expanded', 'true');
  }
}

/** Types a day into the antd DatePicker labelled `label`. */
export async function pickDate(page: Page, label: string, day: string) {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}
