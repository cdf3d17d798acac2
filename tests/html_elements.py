"""Parse a page as a browser would (the HTML5 parsing algorithm), to see which elements exist."""

from xml.etree.ElementTree import Element

import tinyhtml5


def elements(html: str) -> list[Element]:
    """Every element of the parsed page; text that only looks like a tag is not one."""
    return list(tinyhtml5.parse(html, namespace_html_elements=False).iter())
