import { DomainError } from '../../domain/errors';
import { findMerchantById, listMerchants as listMerchantRows } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { merchantView, type MerchantView } from './merchant-view';

export async function getMerchant(ctx: ServiceContext, merchantId: string): Promise<MerchantView> {
  const row = await findMerchantById(ctx.store.db, merchantId);
  if (!row) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  return merchantView(row);
}

export async function listMerchants(ctx: ServiceContext): Promise<MerchantView[]> {
  return (await listMerchantRows(ctx.store.db)).map(merchantView);
}
