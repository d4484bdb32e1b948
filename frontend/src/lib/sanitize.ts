/**
 * Search snippets are HTML in which the API escaped the text and added only
 * <mark> tags. The site still keeps nothing else: any other tag is shown as
 * text (escaped), so a snippet can never inject markup, and entities the API
 * wrote stay entities (rendered as the characters they stand for, never
 * shown as "&amp;eacute;").
 */
const TAG = /<\/?[^>]*>?/g;

export function sanitizeSnippet(html: string): string {
  let open = 0;
  const out = html.replace(TAG, (tag) => {
    const lower = tag.toLowerCase();
    if (lower === "<mark>") {
      open += 1;
      return "<mark>";
    }
    if (lower === "</mark>" && open > 0) {
      open -= 1;
      return "</mark>";
    }
    return tag.replace(/</g, "&lt;").replace(/>/g, "&gt;");
  });
  return out.replace(/>/g, (c, i: number, s: string) => (isMarkEnd(s, i) ? c : "&gt;")) + "</mark>".repeat(open);
}

function isMarkEnd(s: string, i: number): boolean {
  return s.slice(Math.max(0, i - 5), i + 1) === "<mark>" || s.slice(Math.max(0, i - 6), i + 1) === "</mark>";
}

/** Plain text for attributes and meta descriptions: tags dropped, basic entities decoded. */
export function textOf(html: string | null | undefined, max = 300): string {
  if (!html) return "";
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x?0*27;|&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
