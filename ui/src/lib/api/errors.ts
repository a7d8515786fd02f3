// CommandError → words for the cashier, in one place. pos-core's own message is plain English
// and says what to do next; Arabic uses the messages below by error code.
import type { CommandError, ErrorCode, Language } from './types';

const MESSAGES: Record<ErrorCode, Record<Language, string>> = {
  invalid_input: {
    en: 'Some fields need fixing. See the notes next to them.',
    ar: 'بعض الحقول تحتاج إلى تصحيح. راجع الملاحظات بجانبها.',
  },
  api_rejected: {
    en: 'Ottu refused this request. Check the details and try again.',
    ar: 'رفضت أتو هذا الطلب. تحقق من البيانات وحاول مجددًا.',
  },
  unauthorized: {
    en: 'Ottu did not accept the saved key or password. Open Settings and enter it again.',
    ar: 'لم تقبل أتو المفتاح أو كلمة المرور المحفوظة. افتح الإعدادات وأدخلها مجددًا.',
  },
  forbidden: {
    en: 'This Ottu account may not do that. Ask your Ottu admin to grant the permission.',
    ar: 'لا يملك حساب أتو هذا الصلاحية. اطلب من مسؤول أتو منحها.',
  },
  not_found: {
    en: 'This item was not found. Open History and look it up again.',
    ar: 'لم يتم العثور على هذا العنصر. افتح السجل وابحث عنه مجددًا.',
  },
  network: {
    en: 'Cannot reach Ottu. Check the internet connection, then try again.',
    ar: 'تعذر الوصول إلى أتو. تحقق من اتصال الإنترنت ثم حاول مجددًا.',
  },
  ambiguous: {
    en: 'Ottu may have received this request; the till is checking. Do not create it again yet.',
    ar: 'ربما استلمت أتو هذا الطلب؛ يتم التحقق الآن. لا تنشئه مرة أخرى بعد.',
  },
  not_configured: {
    en: 'No Ottu account is set up. Open Settings to connect one, or use the demo.',
    ar: 'لا يوجد حساب أتو مُعد. افتح الإعدادات لربط حساب أو استخدم الوضع التجريبي.',
  },
  locked: {
    en: 'The till is locked. Enter your PIN to go on.',
    ar: 'الجهاز مقفل. أدخل رمزك السري للمتابعة.',
  },
  not_allowed: {
    en: 'Your role may not do that. Ask a manager or the owner.',
    ar: 'دورك لا يسمح بذلك. اطلب من المدير أو المالك.',
  },
  internal: {
    en: 'Something went wrong in the app. Try again; if it repeats, restart the app.',
    ar: 'حدث خطأ في التطبيق. حاول مجددًا؛ وإن تكرر فأعد تشغيل التطبيق.',
  },
};

// Every code has a message (a new code in pos-core's ErrorCode fails the type check above), so
// the keys of MESSAGES are exactly the codes the backend can send.
const CODES = Object.keys(MESSAGES) as ErrorCode[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whatever a command rejected with, as a CommandError (strings and exceptions become `internal`). */
export function toCommandError(error: unknown): CommandError {
  if (isRecord(error) && typeof error['code'] === 'string' && CODES.includes(error['code'] as ErrorCode)) {
    const fields: Record<string, string[]> = {};
    const raw = error['fields'];
    if (isRecord(raw)) {
      for (const [name, list] of Object.entries(raw)) {
        if (Array.isArray(list)) fields[name] = list.map(String);
        else if (typeof list === 'string') fields[name] = [list];
      }
    }
    return {
      code: error['code'] as ErrorCode,
      message: typeof error['message'] === 'string' ? error['message'] : '',
      fields,
      sale_id: typeof error['sale_id'] === 'string' ? error['sale_id'] : null,
    };
  }
  const message =
    typeof error === 'string' ? error : error instanceof Error ? error.message : 'Unexpected error';
  return { code: 'internal', message, fields: {}, sale_id: null };
}

/** The sentence to show: core's own words in English, the code's translation in Arabic. */
export function errorMessage(error: CommandError, lang: Language): string {
  if (lang === 'en' && error.message) return error.message;
  return MESSAGES[error.code][lang];
}
