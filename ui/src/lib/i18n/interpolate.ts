// `{name}` placeholders, filled; shared by the dictionaries and the fake backend's problems.

/** Fill `{name}` placeholders; unknown ones stay as they are. */
export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
