// Whose birthday is it, on a local calendar date? Pure.

/** The birthdays (as MM-DD) celebrated on `localDate` (YYYY-MM-DD): 29 February counts on 28 February in other years. */
export function birthdaysCelebratedOn(localDate: string): string[] {
  const [yearText, month, day] = localDate.split('-') as [string, string, string];
  const year = Number(yearText);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDay = `${month}-${day}`;
  return monthDay === '02-28' && !leap ? ['02-28', '02-29'] : [monthDay];
}
