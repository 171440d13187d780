/**
 * The API reference (Swagger UI) in browser tests. From 150 rows (tags + operations) Swagger UI 5.35 renders the
 * operations list virtually, only the rows near the window, so tests reach an operation by its deep link
 * (`#/<tag>/<operationId>`, which scrolls to it and opens it) rather than by looking for it in the page.
 */
import type { Locator, Page } from 'playwright-core';

/** Opens `/api/reference` at one operation; resolves with the operation's open block. */
export async function openReferenceOperation(
  page: Page,
  serverUrl: string,
  tag: string,
  operationId: string,
): Promise<Locator> {
  await page.goto('about:blank'); // a hash change alone does not make Swagger UI follow the link
  await page.goto(`${serverUrl}/api/reference#/${tag}/${operationId}`);
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.waitFor();
  await operation.locator('.opblock-body').waitFor(); // the deep link opens it
  return operation;
}

/** How many operations Swagger UI read from the document (rendered or not). */
export async function referenceOperationCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Tagged = { valueSeq(): { toArray(): { get(key: 'operations'): { size: number } }[] } };
    const ui = (window as unknown as { ui: { specSelectors: { taggedOperations(): Tagged } } }).ui;
    return ui.specSelectors
      .taggedOperations()
      .valueSeq()
      .toArray()
      .reduce((sum, tag) => sum + tag.get('operations').size, 0);
  });
}
