// Signs a staff member in on the dashboard's sign-in page, in English.
import type { Page } from 'playwright-core';

export async function signInAsStaff(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'EN' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
}
