"""Reading a drawn chart back out of a page, so tests can hold it to the page's table."""

import html as entities
import re


def chart_svg(html: str, key: str) -> str:
    start = html.index(f'<figure class="portal-chart-figure" id="chart-{key}">')
    return html[start : html.index("</figure>", start)]


def chart_titles(html: str, key: str) -> list[str]:
    """The exact figure each bar, line or point carries, in drawing order."""
    svg = chart_svg(html, key)
    body = svg[svg.index("</defs>") :]
    return [entities.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", body)]


def chart_shapes(html: str, key: str, tag: str) -> list[dict]:
    """Every `tag` element of the chart: its attributes and its title."""
    svg = chart_svg(html, key)
    shapes = []
    for attrs, title in re.findall(rf"<{tag} ([^>]*)><title>([^<]*)</title>", svg):
        shape = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        shape["title"] = entities.unescape(title)
        shapes.append(shape)
    return shapes


def table_rows(page, label):
    """A table's rows (after its region label) as {row heading: {column heading: text}}."""
    table = page[page.index(label) :]
    table = table[: table.index("</table>")]
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)[1:]
    rows = {}
    for heading, cells in re.findall(r'<th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>', table, re.S):
        values = [
            entities.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        ]
        rows[heading.strip()] = dict(zip(headings, values, strict=True))
    return rows
