"""Partner finder: rank candidate cities for a home city by a weighted, explained score; add one as a candidate."""

import pandas as pd
import streamlit as st

from twinmap.core import config, reference
from twinmap.core.reference import N_
from twinmap.ingest import forms
from twinmap.reads import finder
from twinmap.ui import cache, leaflet, page, widgets
from twinmap.views import cards, labels, maps

p = page.start("editor")
_ = p.tr
homes = cache.home_cities()
names = cache.home_names(_)

st.title(_("Partner finder"))
learned = cache.finder_learned()
said = _("Stage 1 of the guide: the gazetteer's 34,000 cities ranked by how much the pair looks like the {n} "
         "twinnings this store holds (the world's, from Wikidata, and ours).", n=_.number(learned.ties))  # fmt: skip
st.caption(said)
with st.sidebar:
    st.subheader(_("Finder settings"))
    home_id = st.selectbox(_("Find partners for"), list(names), format_func=names.get, key="finder_home")
    themes = st.multiselect(_("Themes"), list(finder.THEMES), format_func=lambda t: _.term(reference.AREAS, t),
                            placeholder=_("Any theme"), key="finder_themes",
                            select_all=widgets.english_only(_))  # fmt: skip
    minimum = widgets.levels(_("Smallest population"), list(finder.POPULATION_LEVELS), finder.DEFAULT_MIN_POPULATION,
                             "finder_min")  # fmt: skip
    st.caption(_("Your tilts on top of the learned ranking (0 = none)"))
    weights = finder.Weights(**{k: widgets.levels(_(label), list(range(6)), 0, f"finder_w_{k}")
                                for k, label in finder.PARTS.items()})  # fmt: skip

found = cache.finder_rank(home_id, weights, tuple(themes), int(minimum), 25)
unused = cache.finder_unusable(home_id)
if unused:  # no place on the map or no population: ranked on the rest, and said so
    st.info(_("{city} has no place on the map or no population on record, so these parts could not be used: "
              "{parts}. The ranking uses the others.", city=names.get(home_id, ""),
              parts=_.join([_(cards.FINDER_PARTS[f]) for f in unused])))  # fmt: skip
home = homes[homes["id"] == home_id].iloc[0].to_dict()
fmap = maps.candidate_map(home, found, tiles=config.get("TWINMAP_TILES"), tr=_)
leaflet.show(leaflet.prepare(fmap), "finder_map", 420)

rows = found.to_dict("records")
table = {
    _("Rank"): _.figures(range(1, len(rows) + 1)),
    _("City"): [_.place(r["name"], r["country_code"], r["geonameid"]) for r in rows],
    _("Country"): [_.country(r["country_code"]) for r in rows],
    _("Fit"): _.figures([r["score"] for r in rows], 1),
    _("Raised by"): [cards.finder_reasons(r, weights, _, raised=True) for r in rows],
    _("Lowered by"): [cards.finder_reasons(r, weights, _, raised=False) for r in rows],
}
widgets.table_downloads(pd.DataFrame(table), "partner-candidates", "finder_table")
taken = cache.finder_already(home_id)
with st.expander(_("Already twinned ({n}): never offered again", n=_.number(len(taken)))):
    widgets.table(pd.DataFrame({_("City"): [_.city(n) for n in taken["name"]], _("Country"): [_.country(c) for c in
                                                                             taken["country_code"]]}),
                  "finder_already")  # fmt: skip
with st.expander(_("How the ranking is made")):
    st.markdown(labels.md_escape(_(
        "A choice model learned from the {n} twinnings of this store ({when}): each real partner is read as a "
        "choice among itself and rival cities drawn from the gazetteer. It is trained again whenever the "
        "twinnings change. Fit is 0 to 100: how much the pair looks like cities that twinned; it is not a "
        "probability. Each candidate shows the parts that raised and lowered it. On the shipped Wikidata "
        "twinnings, hidden from it, it put about one real partner in five in its top 50: more than twice as many "
        "as the best simple rule (the nearest city abroad, gravity, the most twinned, partners of partners; "
        "bench/RESULTS.md, Partner finder).",
        n=_.number(learned.ties), when=_.moment(learned.trained_at))))  # fmt: skip
    learned_parts = finder.effects(learned.model)
    method = {_("Part"): [_(cards.FINDER_PARTS[f]) for f, _e in learned_parts],
              _("Effect from low to high"): _.figures([e for _f, e in learned_parts], 2)}  # fmt: skip
    st.caption(
        _(
            "How far each part moves a score (in log-odds) from its lowest value to a high one (the 95th "
            "percentile of the cities it was trained on): above 0, more of it makes a twinning likelier. Distance "
            "and the two countries' twinnings are each read several ways (a bend, each side's share) and are "
            "shown moved together."
        )
    )
    widgets.table(pd.DataFrame(method), "finder_method")

st.subheader(_("Add as a candidate"))
picks = {
    i: f"{_.place(r['name'], r['country_code'], r['geonameid'])} ({_.country(r['country_code'])})"
    for i, r in enumerate(rows)
}
pick = st.selectbox(_("Candidate"), list(picks), format_func=picks.get, key="finder_pick")
if st.button(_("Add to the pipeline as a candidate"), key="finder_add") and pick is not None:
    r = rows[pick]
    values = {"home_city": home["name"], "home_country": home["country_code"], "partner_city": r["name"],
              "partner_country": r["country_code"], "kind": "sister_city", "status": "candidate",
              "notes": _("Found by the partner finder (score {score}).", score=round(r["score"], 1))}  # fmt: skip
    plan, batch = forms.submit(cache.connection(), "partnerships", values, p.user, "partner finder")
    page.report(_, plan, batch, N_("{city} is now a candidate (import #{batch}; undo on the Data page)."),
                city=_.place(r["name"], r["country_code"], r["geonameid"]))  # fmt: skip
