import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';

const VIEWS_DIR = join(__dirname, 'views');

/** The dashboard's Handlebars templates, compiled once at boot; each page renders inside `layout`. */
export class DashboardViews {
  private readonly handlebars = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor(viewsDir = VIEWS_DIR) {
    this.handlebars.registerHelper('eq', (left: unknown, right: unknown) => left === right);
    this.handlebars.registerHelper('time', (value: unknown) => formatTime(value));
    this.handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
    this.handlebars.registerHelper('clip', (text: unknown, length: unknown) =>
      clip(text, typeof length === 'number' ? length : 200),
    );
    this.handlebars.registerHelper('or', (left: unknown, right: unknown) => left ?? right);
    for (const file of readdirSync(viewsDir).filter((name) => name.endsWith('.hbs'))) {
      const source = readFileSync(join(viewsDir, file), 'utf8');
      const name = basename(file, '.hbs');
      if (name.startsWith('_')) this.handlebars.registerPartial(name.slice(1), source);
      else this.pages.set(name, this.handlebars.compile(source, { strict: false }));
    }
    const layout = this.pages.get('layout');
    if (layout === undefined)
      throw new Error(`dashboard views: ${join(viewsDir, 'layout.hbs')} is missing`);
    this.layout = layout;
  }

  /** Renders `page` with `model` inside the layout (title, user, body). */
  render(page: string, model: Record<string, unknown>): string {
    const template = this.pages.get(page);
    if (template === undefined)
      throw new Error(`dashboard views: no page "${page}" in ${VIEWS_DIR}`);
    return this.layout({ ...model, body: template(model) });
  }
}

function formatTime(value: unknown): string {
  if (!(value instanceof Date) && typeof value !== 'string') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return typeof value === 'string' ? value : '';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Long error messages would stretch the tables: cut them, keeping the whole text in a tooltip. */
function clip(text: unknown, length: number): string {
  if (typeof text !== 'string') return '';
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
