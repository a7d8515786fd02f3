// pos-core's role table (staff::Role::may) and PIN rule (staff::normalize_pin), mirrored so the UI
// hides what a role may not do. The core checks every command anyway: this only spares the
// cashier a button that would answer `not_allowed`.
import type { Role } from './api/types';

/** Something staff do that a role may or may not allow (pos-core's staff::Action). */
export type Action =
  | 'create_sale'
  | 'share_sale'
  | 'edit_sale'
  | 'cancel_sale'
  | 'refund'
  | 'void'
  | 'capture'
  | 'export'
  | 'change_settings'
  | 'manage_catalog'
  | 'manage_staff'
  | 'manage_connections'
  | 'install_update'
  | 'run_shift'
  | 'cash_out'
  | 'close_any_shift'
  | 'reconcile'
  | 'see_own_totals'
  | 'see_shop_totals';

export const DESCRIBE: Record<Action, string> = {
  create_sale: 'create sales',
  share_sale: 'share sales',
  edit_sale: 'change sales',
  cancel_sale: 'cancel sales',
  refund: 'refund payments',
  void: 'void payments',
  capture: 'capture payments',
  export: 'export the history',
  change_settings: "change the shop's settings",
  manage_catalog: 'change the catalog',
  manage_staff: 'manage staff',
  manage_connections: 'manage Ottu connections',
  install_update: 'update the app',
  run_shift: 'run a shift',
  cash_out: 'take cash out of the drawer',
  close_any_shift: "close another staff member's shift",
  reconcile: "reconcile with Ottu's reports",
  see_own_totals: "see their own sales' totals",
  see_shop_totals: "see the whole shop's sales",
};

/** pos-core's Role::may: the one rule table. */
export function roleMay(role: Role, action: Action): boolean {
  if (role === 'owner') return true;
  if (role === 'manager') return action !== 'manage_staff' && action !== 'manage_connections' && action !== 'install_update';
  return (
    action === 'create_sale' ||
    action === 'share_sale' ||
    action === 'edit_sale' ||
    action === 'cancel_sale' ||
    action === 'run_shift' ||
    action === 'see_own_totals'
  );
}

/** pos-core's normalize_pin: ASCII digits (Arabic-Indic accepted), 4 to 6 of them. */
export function normalizePin(pin: string): string | null {
  let digits = '';
  for (const c of pin.trim()) {
    const code = c.charCodeAt(0);
    if (code >= 0x30 && code <= 0x39) digits += c;
    else if (code >= 0x660 && code <= 0x669) digits += String(code - 0x660);
    else if (code >= 0x6f0 && code <= 0x6f9) digits += String(code - 0x6f0);
    else return null;
  }
  return digits.length >= 4 && digits.length <= 6 ? digits : null;
}

