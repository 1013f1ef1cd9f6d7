"""The static treaty report (``treatywatch report --treaty APMBT --format html``).

One self-contained HTML file: the same sections, map and charts as the treaty page
(templates/treaty_body.html, `treaty_view.drawings`), the stylesheet inlined, no script and no
link back to a server, so it can be mailed, archived or printed as it is.
"""

from __future__ import annotations

from markupsafe import Markup

from treatywatch.web.app import STATIC_DIR
from treatywatch.web.render import TEMPLATES
from treatywatch.web.treaty_view import TreatyView, drawings


def render_treaty_report(view: TreatyView, *, reference: str, claims_considered: bool) -> str:
    """The report of ``view`` as HTML; ``reference`` names the reference data it was made from."""
    css = Markup((STATIC_DIR / "style.css").read_text(encoding="utf-8"))
    return TEMPLATES.env.get_template("treaty_report.html").render(
        v=view, css=css, in_app=False, reference=reference, claims_considered=claims_considered,
        **drawings(view, link_states=False))
