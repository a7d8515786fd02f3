// CommandError → words for the cashier, in one place. pos-core reports every error and field
// error as a problem code with parameters (`Problem`); the window says it in its own language
// from ../i18n/problems-*.ts. The payment server's own words (`server_text`) and technical
// details (`detail`) are never translated: they are shown beneath the translated sentence,
// marked as the server's words or as details.
import type { CommandError, ErrorCode, Language, Problem, ProblemCode } from './types';
import { PROBLEM_PARAMS } from './problem-codes';
import { problemsAr } from '../i18n/problems-ar';
import { problemsEn } from '../i18n/problems-en';
import { toArabicDigits } from '../format/money';

const PROBLEMS: Record<Language, Record<ProblemCode, string>> = { en: problemsEn, ar: problemsAr };

/** The problem each error kind falls back to when an answer carries no problem of its own. */
const FALLBACK: Record<ErrorCode, ProblemCode> = {
  invalid_input: 'fix_fields',
  api_rejected: 'server_refused',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'transaction_not_found',
  network: 'network',
  ambiguous: 'ambiguous',
  not_configured: 'connection_settings_unusable',
  locked: 'locked',
  not_allowed: 'role_may_not',
  internal: 'internal',
};

// Every error code has a fallback (a new code in pos-core's ErrorCode fails the type check above).
const CODES = Object.keys(FALLBACK) as ErrorCode[];

/**
 * Parameter values that are themselves words pos-core takes from a fixed list (a sale state, a
 * role, what a role may do, an operation), translated here. Anything not listed is shown as
 * sent: ids, references, hosts and codes stay as they are.
 */
const VALUE_WORDS: Record<string, Record<string, Record<Language, string>>> = {
  state: {
    sending: { en: 'sending', ar: 'قيد الإرسال' },
    unknown: { en: 'being checked', ar: 'قيد التحقق' },
    rejected: { en: 'not sent', ar: 'غير مُرسل' },
    created: { en: 'waiting for the customer', ar: 'بانتظار العميل' },
    pending: { en: 'opened by the customer', ar: 'فتحه العميل' },
    attempted: { en: 'declined', ar: 'مرفوض' },
    authorized: { en: 'authorized', ar: 'مفوَّض' },
    paid: { en: 'paid', ar: 'مدفوع' },
    failed: { en: 'failed', ar: 'فاشل' },
    canceled: { en: 'canceled', ar: 'ملغى' },
    expired: { en: 'expired', ar: 'منتهي الصلاحية' },
    invalided: { en: 'invalid', ar: 'غير صالح' },
    refunded: { en: 'refunded', ar: 'مسترد' },
    cod: { en: 'cash on delivery', ar: 'الدفع عند الاستلام' },
  },
  role: {
    owner: { en: 'owner', ar: 'المالك' },
    manager: { en: 'manager', ar: 'المدير' },
    cashier: { en: 'cashier', ar: 'الكاشير' },
  },
  action: {
    'create sales': { en: 'create sales', ar: 'إنشاء المبيعات' },
    'share sales': { en: 'share sales', ar: 'مشاركة المبيعات' },
    'change sales': { en: 'change sales', ar: 'تعديل المبيعات' },
    'cancel sales': { en: 'cancel sales', ar: 'إلغاء المبيعات' },
    'refund payments': { en: 'refund payments', ar: 'استرداد المدفوعات' },
    'void payments': { en: 'void payments', ar: 'إبطال المدفوعات' },
    'capture payments': { en: 'capture payments', ar: 'تحصيل المدفوعات' },
    'export the history': { en: 'export the history', ar: 'تصدير السجل' },
    "change the shop's settings": { en: "change the shop's settings", ar: 'تغيير إعدادات المتجر' },
    'manage staff': { en: 'manage staff', ar: 'إدارة الموظفين' },
    'manage Ottu connections': { en: 'manage Ottu connections', ar: 'إدارة اتصالات أتو' },
  },
  operation: {
    refunded: { en: 'refunded', ar: 'استرداده' },
    captured: { en: 'captured', ar: 'تحصيله' },
    voided: { en: 'voided', ar: 'إبطاله' },
  },
  channel: {
    WhatsApp: { en: 'WhatsApp', ar: 'واتساب' },
    SMS: { en: 'SMS', ar: 'رسالة نصية' },
    email: { en: 'email', ar: 'البريد الإلكتروني' },
  },
};

/** Parameters that are counts or amounts: they follow the Arabic-Indic digits option. */
const NUMBER_PARAMS = new Set(['max', 'decimals', 'example', 'status', 'time']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && value in PROBLEM_PARAMS;
}

/** A problem as received; a bare string (an older or foreign answer) becomes the fallback's. */
function toProblem(value: unknown, fallback: ProblemCode): Problem {
  if (isRecord(value) && isProblemCode(value['code'])) {
    const params: Record<string, string> = {};
    if (isRecord(value['params'])) {
      for (const [k, v] of Object.entries(value['params'])) params[k] = String(v);
    }
    return {
      code: value['code'],
      params,
      message: typeof value['message'] === 'string' ? value['message'] : '',
    };
  }
  const text = typeof value === 'string' ? value : '';
  const param = fallback.startsWith('server_') || fallback === 'forbidden' ? 'server_text' : 'detail';
  return { code: fallback, params: text ? { [param]: text } : {}, message: text };
}

/** Whatever a command rejected with, as a CommandError (strings and exceptions become `internal`). */
export function toCommandError(error: unknown): CommandError {
  if (isRecord(error) && typeof error['code'] === 'string' && CODES.includes(error['code'] as ErrorCode)) {
    const code = error['code'] as ErrorCode;
    const message = typeof error['message'] === 'string' ? error['message'] : '';
    const fields: Record<string, Problem[]> = {};
    const raw = error['fields'];
    if (isRecord(raw)) {
      for (const [name, list] of Object.entries(raw)) {
        const items = Array.isArray(list) ? list : [list];
        fields[name] = items.map((item) => toProblem(item, 'server_field_refused'));
      }
    }
    const problem = error['problem'] !== undefined ? toProblem(error['problem'], FALLBACK[code]) : toProblem(message, FALLBACK[code]);
    return {
      code,
      problem,
      message,
      fields,
      sale_id: typeof error['sale_id'] === 'string' ? error['sale_id'] : null,
    };
  }
  const message =
    typeof error === 'string' ? error : error instanceof Error ? error.message : 'Unexpected error';
  return { code: 'internal', problem: toProblem(message, 'internal'), message, fields: {}, sale_id: null };
}

export interface Wording {
  lang: Language;
  arabicDigits?: boolean;
}

function paramValue(name: string, value: string, { lang, arabicDigits }: Wording): string {
  const word = VALUE_WORDS[name]?.[value]?.[lang];
  if (word !== undefined) return word;
  return arabicDigits && NUMBER_PARAMS.has(name) ? toArabicDigits(value) : value;
}

/** The problem in the window's language, its parameters filled (and translated where they are words). */
export function problemText(problem: Problem, wording: Wording | Language): string {
  const w = typeof wording === 'string' ? { lang: wording } : wording;
  const template = PROBLEMS[w.lang][problem.code] ?? problemsEn[problem.code] ?? problem.message;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = problem.params[name];
    return value === undefined ? whole : paramValue(name, value, w);
  });
}

/**
 * What is shown beneath the translated sentence, as it came: the payment server's words
 * (`server`) or a technical detail (`detail`); null when there is none.
 */
export function untranslatedWords(problem: Problem): { kind: 'server' | 'detail'; text: string } | null {
  const server = problem.params['server_text'];
  if (server) return { kind: 'server', text: server };
  const detail = problem.params['detail'];
  if (detail) return { kind: 'detail', text: detail };
  return null;
}

/** The sentence to show for an error (its untranslated words are `untranslatedWords(error.problem)`). */
export function errorMessage(error: CommandError, wording: Wording | Language): string {
  return problemText(error.problem, wording);
}

/** One field's problems as one line, or null when the field has none. */
export function fieldMessage(error: CommandError, field: string, wording: Wording | Language): string | null {
  const problems = error.fields[field];
  if (!problems || problems.length === 0) return null;
  return problems.map((p) => fieldProblemText(p, wording)).join(' ');
}

/** A field's problem; the server's own words for a field stand beside the translated lead. */
export function fieldProblemText(problem: Problem, wording: Wording | Language): string {
  const text = problemText(problem, wording);
  const words = untranslatedWords(problem);
  return words && words.kind === 'server' ? `${text} «${words.text}»` : text;
}

/** Every field's problems as one line each, for forms that show them together. */
export function fieldMessages(error: CommandError, wording: Wording | Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of Object.keys(error.fields)) {
    const line = fieldMessage(error, field, wording);
    if (line !== null) out[field] = line;
  }
  return out;
}
