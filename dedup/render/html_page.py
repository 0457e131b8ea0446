"""The shell of a self-contained HTML page, and how untrusted text enters it.

The page fetches nothing: its stylesheet is inline, it has no script, fonts or images,
and its Content-Security-Policy forbids loading or running anything else, so even
markup that escaped :func:`dedup.render.safe.html_text` could not run or call out.
"""

from __future__ import annotations

import unicodedata

from dedup.render.safe import html_text, http_url

# default-src 'none' blocks scripts, images, fonts, frames and fetches; the inline
# stylesheet (and the width of a share bar, a style attribute) need 'unsafe-inline'.
_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"

_STYLESHEET = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4d9;
  --same: #ffffff; --edited: #fff3c4; --edited-edge: #a86f00; --rewritten: #f0e4ff;
  --rewritten-edge: #7b3fbf; --moved: #dcf2f5; --moved-edge: #14717e;
  --added: #e1f4e1; --added-edge: #2e7d32; --dropped: #fde4e4; --dropped-edge: #c62828;
  --boilerplate: #f2f2f2; --boilerplate-edge: #8a8a8a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 90rem; padding: 1.5rem 2rem 3rem; color: var(--ink);
  font: 15px/1.55 system-ui, "Segoe UI", "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans",
  sans-serif; background: #fafafa; }
h1 { font-size: 1.7rem; margin: 0 0 .75rem; }
h2 { font-size: 1.3rem; margin: 0 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
a { color: #0b57d0; }
.count { color: var(--muted); font-weight: normal; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0 0 1rem; padding: 0; }
.summary div { background: #fff; border: 1px solid var(--rule); border-radius: 6px;
  padding: .4rem .9rem; min-width: 8rem; }
.summary dt { color: var(--muted); font-size: .8rem; text-transform: uppercase;
  letter-spacing: .04em; }
.summary dd { margin: 0; font-size: 1.35rem; font-weight: 600; }
.summary dd small { font-size: .8rem; font-weight: normal; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1rem; padding: 0; margin: .25rem 0 0;
  list-style: none; font-size: .85rem; color: var(--muted); }
.note { color: var(--muted); font-size: .9rem; }
section.block { background: #fff; border: 1px solid var(--rule); border-radius: 8px;
  padding: 1.1rem 1.4rem; margin: 1.25rem 0; }
/* A 10k-document page has thousands of sections: lay out only those in view (loads in
   1.4 s, not 12). Small pages go without: full-page screenshots leave such sections blank. */
body.long section.block { content-visibility: auto; contain-intrinsic-size: auto 40rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .55rem; vertical-align: top;
  text-align: start; }
td { overflow-wrap: break-word; }
td.headline, td.outlet, table.diff td { overflow-wrap: anywhere; }
td.time { white-space: nowrap; }
thead th { background: #f1f3f4; font-weight: 600; white-space: nowrap; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em;
  overflow-wrap: break-word; }
.url { display: block; color: var(--muted); font-size: .8em; overflow-wrap: anywhere; }
p .url { display: inline; margin-inline-start: .5em; }
.muted { color: var(--muted); }
details > summary { cursor: pointer; padding: .3rem 0; }
details > summary .id { font-weight: 600; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding: 0; }
ul.tree ul { margin-left: 1.1rem; padding-left: 1.2rem; border-left: 2px solid var(--rule); }
ul.tree li { position: relative; margin: .35rem 0; }
ul.tree ul > li::before { content: ""; position: absolute; left: -1.2rem; top: 1rem;
  width: 1rem; border-top: 2px solid var(--rule); }
.node { display: inline-block; background: #fff; border: 1px solid var(--rule);
  border-radius: 6px; padding: .3rem .7rem; }
.node.root { background: #eef3fd; border-color: #9db5e8; }
.node .shares { display: block; color: var(--muted); font-size: .82rem; }
.bar { display: flex; width: 12rem; height: .45rem; margin-top: .25rem; border-radius: 3px;
  overflow: hidden; background: var(--rule); }
.bar span { display: block; height: 100%; }
.bar .kept { background: #5b8def; } .bar .rewritten { background: var(--rewritten-edge); }
.bar .dropped { background: var(--dropped-edge); }
table.diff { table-layout: fixed; }
table.diff col.operation { width: 10rem; }
table.diff td { line-height: 1.7; }
table.diff th[scope=row] { font-weight: normal; white-space: nowrap; }
.op { display: inline-block; min-width: 6.8rem; padding: 0 .4rem; border-radius: 4px;
  border-left: 4px solid; font-size: .82rem; }
.score { color: var(--muted); font-size: .78rem; margin-left: .2rem; }
.op.same { border-color: var(--rule); background: #fff; }
.op.edited { border-color: var(--edited-edge); background: var(--edited); }
.op.rewritten { border-color: var(--rewritten-edge); background: var(--rewritten); }
.op.moved { border-color: var(--moved-edge); background: var(--moved); }
.op.added { border-color: var(--added-edge); background: var(--added); }
.op.dropped { border-color: var(--dropped-edge); background: var(--dropped); }
.op.boilerplate { border-color: var(--boilerplate-edge); background: var(--boilerplate); }
tr.edited td { background: var(--edited); }
tr.rewritten td { background: var(--rewritten); }
tr.moved td { background: var(--moved); }
tr.added td.derived { background: var(--added); }
tr.dropped td.source { background: var(--dropped); }
tr.boilerplate td { color: var(--muted); font-style: italic; background: var(--boilerplate); }
td.absent { background: repeating-linear-gradient(135deg, #fafafa 0 6px, #f0f0f0 6px 12px);
  color: var(--muted); text-align: center; }
del { background: #f6b9b9; text-decoration: line-through; text-decoration-thickness: 2px; }
ins { background: #a9e0a9; text-decoration: underline; text-decoration-thickness: 2px; }
ol.wire { margin: .25rem 0; padding-inline-start: 2rem; }
@media print {
  body { background: #fff; max-width: none; padding: 0; font-size: 10pt; }
  section.block, body.long section.block { border: 0; padding: 0; break-inside: auto;
    content-visibility: visible; }
  details::details-content { content-visibility: visible; display: contents; }
  details > summary { list-style: none; font-weight: 600; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def direction(text: str) -> str:
    """``rtl`` when most of the strong characters of ``text`` are right-to-left (Arabic,
    Hebrew), ``ltr`` when most are left-to-right, else ``auto``.

    A majority, not the first strong character (what ``dir="auto"`` uses): an Arabic
    sentence that opens with a Latin name ("CNN ...") is still a right-to-left line.
    """
    left = right = 0
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            left += 1
        elif kind in ("R", "AL"):
            right += 1
    if right > left:
        return "rtl"
    return "ltr" if left else "auto"


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """``1 cluster``, ``2,000 clusters``."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {plural or noun + 's'}"


def data_cell(text: str, css_class: str = "") -> str:
    """A table cell of untrusted text (empty when there is none), with its direction."""
    if not text:
        return f'<td class="{css_class}"></td>' if css_class else "<td></td>"
    return text_element("td", text, css_class)


def text_element(tag: str, text: str, css_class: str = "") -> str:
    """Untrusted ``text`` in an element of its own, escaped, with its direction."""
    class_attribute = f' class="{css_class}"' if css_class else ""
    return f'<{tag}{class_attribute} dir="{direction(text)}">{html_text(text)}</{tag}>'


def document_link(document: str, url: str | None) -> str:
    """A document id, linked to its URL when that is http(s); any other URL (a
    ``javascript:`` one included) is shown beside it as text, never as a link."""
    identifier = f'<bdi class="id">{html_text(document)}</bdi>'
    link = http_url(url)
    if link is not None:
        return f'<a href="{html_text(link)}" rel="noopener noreferrer">{identifier}</a>'
    if url:
        return identifier + f'<span class="url" dir="ltr">{html_text(url)}</span>'
    return identifier


#: Sections past which a page lays out only those in view.
LONG_PAGE_SECTIONS = 50


def page(title: str, body: str, sections: int = 0) -> str:
    """A whole HTML document: ``title`` is untrusted text, ``body`` markup made here
    holding ``sections`` sections."""
    long = sections > LONG_PAGE_SECTIONS
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CONTENT_SECURITY_POLICY}">\n'
        '<meta name="generator" content="dedup">\n'
        f"<title>{html_text(title)}</title>\n"
        f"<style>{_STYLESHEET}</style>\n</head>\n"
        + ('<body class="long">\n' if long else "<body>\n")
        + f"{body}</body>\n</html>\n"
    )
