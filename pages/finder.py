"""Partner finder: rank candidate cities for a home city by a weighted, explained score; add one as a candidate."""

import pandas as pd
import streamlit as st

from twinmap.core import config, reference
from twinmap.core.reference import N_
from twinmap.ingest import forms
from twinmap.reads import finder
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import labels, maps

p = page.start("editor")
_ = p.tr
homes = cache.home_cities()
names = cache.home_names(_)

st.title(_("Partner finder"))
st.caption(_("Stage 1 of the guide: cities like ours, from an offline gazetteer of 34,000 cities. Set what matters."))
with st.sidebar:
    st.subheader(_("Finder settings"))
    home_id = st.selectbox(_("Find partners for"), list(names), format_func=names.get, key="finder_home")
    themes = st.multiselect(_("Themes"), list(finder.THEMES), format_func=lambda t: _.term(reference.AREAS, t),
                            placeholder=_("Any theme"), key="finder_themes")  # fmt: skip
    minimum = widgets.levels(_("Smallest population"), list(finder.POPULATION_LEVELS), 50_000, "finder_min")
    st.caption(_("Weights (0 = ignore)"))
    weights = finder.Weights(**{k: widgets.levels(_(label), list(range(6)), getattr(finder.Weights(), k),
                                                  f"finder_w_{k}") for k, label in finder.PARTS.items()})  # fmt: skip

found = cache.finder_rank(home_id, weights, tuple(themes), int(minimum), 25)
home = homes[homes["id"] == home_id].iloc[0].to_dict()
fmap = maps.candidate_map(home, found, tiles=config.get("TWINMAP_TILES"), tr=_)
leaflet.show(leaflet.prepare(fmap), "finder_map", 420)

rows = found.to_dict("records")
table = {
    _("Rank"): _.figures(range(1, len(rows) + 1)),
    _("City"): [r["name"] for r in rows],
    _("Country"): [_.country(r["country_code"]) for r in rows],
    _("Score"): _.figures([r["score"] for r in rows], 1),
    _("Why"): ["; ".join(f"{_(m, **v)} (+{_.number(p, 1)})" for m, v, p in finder.explain(r, weights)) for r in rows],
}
widgets.table_downloads(pd.DataFrame(table), "partner-candidates", "finder_table")
with st.expander(_("How the score is made")):
    st.markdown(labels.md_escape(_("Each part scores 0 to 1; the total is the weighted mean × 100.")))
    method = {_("Part"): [_(label) for label in finder.PARTS.values()],
              _("Weight"): _.figures(getattr(weights, k) for k in finder.PARTS),
              _("Full marks when"): [_(finder.RULES[k]) for k in finder.PARTS]}  # fmt: skip
    widgets.table(pd.DataFrame(method), "finder_method")

st.subheader(_("Add as a candidate"))
picks = {i: f"{r['name']} ({_.country(r['country_code'])})" for i, r in enumerate(rows)}
pick = st.selectbox(_("Candidate"), list(picks), format_func=picks.get, key="finder_pick")
if st.button(_("Add to the pipeline as a candidate"), key="finder_add") and pick is not None:
    r = rows[pick]
    values = {"home_city": home["name"], "home_country": home["country_code"], "partner_city": r["name"],
              "partner_country": r["country_code"], "kind": "sister_city", "status": "candidate",
              "notes": _("Found by the partner finder (score {score}).", score=round(r["score"], 1))}  # fmt: skip
    plan, batch = forms.submit(cache.connection(), "partnerships", values, p.user, "partner finder")
    page.report(_, plan, batch, N_("{city} is now a candidate (import #{batch}; undo on the Data page)."),
                city=r["name"])  # fmt: skip
