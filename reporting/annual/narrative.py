"""Managers' narrative: plain text in, safe HTML out. Paragraphs are separated by a blank line;
lines starting "- " or "* " make a bullet list. Nothing typed can become markup, so an <img>,
a <link> or a CSS url() is shown as text and never fetched."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLETS = ("- ", "* ", "• ")


def to_html(text: str) -> SafeString:
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return mark_safe("\n".join(_block(block) for block in blocks))  # noqa: S308 - escaped below


def _block(block: str) -> str:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if all(line.startswith(BULLETS) for line in lines):
        items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return f"<p>{'<br>'.join(escape(line) for line in lines)}</p>"
