// The staff screen (owner only): who may sign in, with which role; PINs go to the core, which
// keeps only their hashes and never sends them back.
import type { Backend } from '../../api/backend';
import type { CommandError, Role, StaffInput, StaffMember } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { i18n } from '../../i18n/index.svelte';

export interface StaffEditor {
  id: string | null;
  name: string;
  role: Role;
  pin: string;
}

export class StaffStore {
  list = $state<StaffMember[]>([]);
  editor = $state<StaffEditor | null>(null);
  errors = $state<Record<string, string>>({});
  error = $state<CommandError | null>(null);
  busy = $state(false);

  /** The owner has set their own PIN: until then adding staff would lock everyone out. */
  readonly ownerHasPin = $derived(this.list.some((m) => m.role === 'owner' && m.has_pin));

  constructor(private readonly api: Backend) {}

  async load(): Promise<void> {
    try {
      this.list = await this.api.staffList();
      this.error = null;
    } catch (e) {
      this.error = toCommandError(e);
    }
  }

  edit(member: StaffMember | null): void {
    this.errors = {};
    this.error = null;
    this.editor = member
      ? { id: member.id, name: member.name, role: member.role, pin: '' }
      : { id: null, name: '', role: 'cashier', pin: '' };
  }

  close(): void {
    this.editor = null;
    this.errors = {};
  }

  /** Saves the editor; answers the saved member, or null with the errors by field. */
  async save(): Promise<StaffMember | null> {
    const e = this.editor;
    if (!e || this.busy) return null;
    this.busy = true;
    this.errors = {};
    this.error = null;
    const input: StaffInput = { name: e.name, role: e.role };
    if (e.id) input.id = e.id;
    if (e.pin.trim()) input.pin = e.pin.trim();
    try {
      const saved = await this.api.saveStaff(input);
      this.editor = null;
      await this.load();
      return saved;
    } catch (err) {
      const error = toCommandError(err);
      const fields = Object.entries(i18n.fieldErrors(error));
      if (fields.length > 0) this.errors = Object.fromEntries(fields);
      if (fields.length === 0 || !fields.every(([k]) => ['name', 'role', 'pin'].includes(k))) this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      this.list = await this.api.deleteStaff(id);
      this.error = null;
      return true;
    } catch (err) {
      this.error = toCommandError(err);
      return false;
    }
  }
}
