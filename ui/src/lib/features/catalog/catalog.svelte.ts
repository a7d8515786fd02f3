// The catalog screen (managers and owners; pos-core refuses everyone else): the list with its
// search and category tabs, the item form (add, edit, archive and restore, favourite), and the
// CSV import and export through the shell's dialogs. Errors are kept as pos-core's problems and
// put into words by the view, so they follow the window's language.
import type { Backend } from '../../api/backend';
import type { CatalogImport, CatalogItem, CatalogItemInput, CommandError, CsvExport } from '../../api/types';
import { toCommandError } from '../../api/errors';

/** The item form as typed (strings: the till checks and normalises them). */
export interface ItemForm {
  id: string | null;
  version: number | null;
  sku: string;
  barcode: string;
  name_en: string;
  name_ar: string;
  price: string;
  currency_code: string;
  vat_rate: number;
  category: string;
  favourite: boolean;
  archived: boolean;
}

/** The form's fields, in the order the form shows them (an error on another goes on top). */
export const FORM_FIELDS = ['sku', 'barcode', 'name_en', 'name_ar', 'price', 'currency_code', 'vat_rate', 'category'] as const;

export class CatalogStore {
  items = $state<CatalogItem[]>([]);
  /** Every category the catalog uses, for the tabs (read with the unfiltered list). */
  categories = $state<string[]>([]);
  text = $state('');
  /** The category tab; null: all. */
  category = $state<string | null>(null);
  form = $state<ItemForm | null>(null);
  /** The last save's refusal: field problems go beside their fields, the rest above the form. */
  formError = $state<CommandError | null>(null);
  /** The item changed since the form read it (`catalog_item_changed`): the form was reloaded. */
  stale = $state(false);
  /** A failure of the list, an archive, a favourite toggle, an import or an export. */
  error = $state<CommandError | null>(null);
  importReport = $state<CatalogImport | null>(null);
  exported = $state<CsvExport | null>(null);
  busy = $state(false);
  /** Only the newest list is kept when answers overtake each other (typing in the search). */
  private listing = 0;

  constructor(
    private readonly api: Backend,
    private readonly defaultCurrency: () => string,
  ) {}

  async load(): Promise<void> {
    const ticket = ++this.listing;
    const text = this.text.trim();
    try {
      const [items, all] = await Promise.all([
        this.api.catalogSearch({
          text: text || undefined,
          category: this.category ?? undefined,
          include_archived: true,
          limit: 500,
        }),
        text || this.category ? this.api.catalogSearch({ include_archived: true, limit: 5000 }) : null,
      ]);
      if (ticket !== this.listing) return;
      this.items = items;
      const source = all ?? items;
      this.categories = [...new Set(source.flatMap((i) => (i.category ? [i.category] : [])))].sort((a, b) => a.localeCompare(b));
      this.error = null;
    } catch (e) {
      if (ticket !== this.listing) return;
      this.error = toCommandError(e);
    }
  }

  async search(text: string): Promise<void> {
    this.text = text;
    await this.load();
  }

  async chooseCategory(category: string | null): Promise<void> {
    this.category = category;
    await this.load();
  }

  /** A new item's form; `barcode` prefilled when a scan found no item. */
  startNew(prefill: { barcode?: string } = {}): void {
    this.formError = null;
    this.stale = false;
    this.form = {
      id: null,
      version: null,
      sku: '',
      barcode: prefill.barcode ?? '',
      name_en: '',
      name_ar: '',
      price: '',
      currency_code: this.defaultCurrency(),
      vat_rate: 0,
      category: this.category ?? '',
      favourite: false,
      archived: false,
    };
  }

  edit(item: CatalogItem): void {
    this.formError = null;
    this.stale = false;
    this.form = formOf(item);
  }

  close(): void {
    this.form = null;
    this.formError = null;
    this.stale = false;
  }

  /** Saves the form; answers the saved item, or null with `formError` (and `stale`) set. */
  async save(): Promise<CatalogItem | null> {
    const f = this.form;
    if (!f || this.busy) return null;
    this.busy = true;
    this.formError = null;
    const input = inputOf(f);
    try {
      const saved = await this.api.saveCatalogItem(input);
      this.form = null;
      this.stale = false;
      await this.load();
      return saved;
    } catch (e) {
      const error = toCommandError(e);
      this.formError = error;
      if (error.problem.code === 'catalog_item_changed' && f.id !== null) await this.reloadStale(f);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Someone changed the item meanwhile: the form shows the item as it is now (as pos-core's
   * message asks: reload it and make the change again), never a blind overwrite of that change.
   */
  private async reloadStale(f: ItemForm): Promise<void> {
    this.stale = true;
    try {
      const all = await this.api.catalogSearch({ include_archived: true, limit: 5000 });
      const current = all.find((i) => i.id === f.id);
      if (current && this.form?.id === f.id) this.form = formOf(current);
    } catch {
      // The form keeps what was typed; saving again shows the same message.
    }
    await this.load();
  }

  /** Archives or restores an item from the list. */
  async setArchived(item: CatalogItem, archived: boolean): Promise<boolean> {
    try {
      const saved = await this.api.archiveCatalogItem(item.id, item.version, archived);
      this.replace(saved);
      if (this.form?.id === saved.id) this.form = { ...this.form, version: saved.version, archived: saved.archived };
      this.error = null;
      return true;
    } catch (e) {
      // The list is read again (the row was stale, or is gone), then the refusal shown.
      const error = toCommandError(e);
      await this.load();
      this.error = error;
      return false;
    }
  }

  /** The star in the list: the item saved with `favourite` flipped (compare-and-set). */
  async toggleFavourite(item: CatalogItem): Promise<boolean> {
    try {
      const saved = await this.api.saveCatalogItem(inputOf({ ...formOf(item), favourite: !item.favourite }));
      this.replace(saved);
      this.error = null;
      return true;
    } catch (e) {
      // The list is read again (the row was stale, or is gone), then the refusal shown.
      const error = toCommandError(e);
      await this.load();
      this.error = error;
      return false;
    }
  }

  /** The shell's open dialog, then the import: all rows or none, the report kept for the screen. */
  async importCsv(): Promise<CatalogImport | null> {
    this.busy = true;
    this.exported = null;
    try {
      const report = await this.api.importCatalogCsv();
      this.error = null;
      if (report) {
        this.importReport = report;
        if (report.applied) await this.load();
      }
      return report;
    } catch (e) {
      this.error = toCommandError(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The shell's save dialog, then every item written there. */
  async exportCsv(): Promise<CsvExport | null> {
    this.busy = true;
    this.importReport = null;
    try {
      const done = await this.api.exportCatalogCsv();
      this.error = null;
      if (done) this.exported = done;
      return done;
    } catch (e) {
      this.error = toCommandError(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  dismissReport(): void {
    this.importReport = null;
    this.exported = null;
  }

  private replace(saved: CatalogItem): void {
    this.items = this.items.map((i) => (i.id === saved.id ? saved : i));
  }
}

/** What pos-core saves from a form: a new item without id, an edit with its id and version. */
function inputOf(f: ItemForm): CatalogItemInput {
  const input: CatalogItemInput = {
    sku: f.sku,
    barcode: f.barcode,
    name_en: f.name_en,
    name_ar: f.name_ar,
    price: f.price,
    currency_code: f.currency_code,
    vat_rate: f.vat_rate,
    category: f.category,
    favourite: f.favourite,
  };
  if (f.id !== null) {
    input.id = f.id;
    if (f.version !== null) input.version = f.version;
  }
  return input;
}

function formOf(item: CatalogItem): ItemForm {
  return {
    id: item.id,
    version: item.version,
    sku: item.sku,
    barcode: item.barcode ?? '',
    name_en: item.name_en,
    name_ar: item.name_ar ?? '',
    price: item.price,
    currency_code: item.currency_code,
    vat_rate: item.vat_rate,
    category: item.category ?? '',
    favourite: item.favourite,
    archived: item.archived,
  };
}
