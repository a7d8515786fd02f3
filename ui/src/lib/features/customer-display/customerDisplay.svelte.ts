// The customer-facing window: one sale, kept live by `sale-updated`.
import type { Backend } from '../../api/backend';
import type { CommandError, Sale } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { OPEN_STATES } from '../sale/sale.svelte';

export class CustomerDisplayStore {
  sale = $state<Sale | null>(null);
  error = $state<CommandError | null>(null);
  readonly paid = $derived(this.sale?.state === 'paid');
  readonly closed = $derived(this.sale !== null && this.sale.state !== 'paid' && !OPEN_STATES.includes(this.sale.state));

  constructor(private readonly api: Backend) {}

  async load(id: string): Promise<void> {
    try {
      this.sale = await this.api.getSale(id);
    } catch (e) {
      this.error = toCommandError(e);
    }
  }

  applyUpdate(update: Sale): void {
    if (this.sale && update.id === this.sale.id && update.updated_at >= this.sale.updated_at) this.sale = update;
  }
}
