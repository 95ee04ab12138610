"""Which part of a region's network the Ketenkaart shows: filters by partner type, agreement
type, status, and "only what falls short of the norm".

Pure analysis (no Streamlit, no DuckDB): a graph from :func:`analysis.network.build_network` in,
a smaller graph out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from analysis.codes import PARTNER_TYPES, SHELTER_TYPES, normalize_name
from analysis.norms import Finding

__all__ = [
    "DEMONSTRABLE_STATUSES",
    "MapFilter",
    "filter_network",
    "partner_type_options",
    "SHORTFALL_KINDS",
    "changed_pairs",
    "ego_network",
    "select_node_findings",
    "shortfall_reasons",
    "shown_missing_types",
]

#: The only status that makes an agreement demonstrable (norm judgement: "schriftelijk").
DEMONSTRABLE_STATUSES = ("schriftelijk",)


@dataclass(frozen=True)
class MapFilter:
    """What the map shows. Empty tuples mean "all".

    Attributes:
        partner_types: partner types of the partners shown (shelters are always shown).
        agreement_type: only edges whose agreements include this type.
        statuses: only edges with one of these statuses (the strongest of the pair).
        only_shortfalls: only what falls short of the norm: verbal or developing agreements,
            written ones that the norm judges partial, organisations without any current
            agreement, and the partner types no shelter has an agreement with.
    """

    partner_types: tuple[str, ...] = ()
    agreement_type: str | None = None
    statuses: tuple[str, ...] = ()
    only_shortfalls: bool = False

    @property
    def filters_edges(self) -> bool:
        """Whether the filter drops edges (and with them partners left without one)."""
        return bool(self.agreement_type or self.statuses or self.only_shortfalls)


def _partial_pairs(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """(shelter, partner type) pairs with a requirement the norm judges only partially met."""
    return {(f.organisation, f.partner_type) for f in findings if f.status == "partial"}


def _edge_falls_short(
    graph: nx.Graph, first: str, second: str, partial: set[tuple[str, str]]
) -> bool:
    data = graph.edges[first, second]
    if data.get("status") not in DEMONSTRABLE_STATUSES:
        return True
    return any(
        graph.nodes[shelter].get("is_shelter")
        and (shelter, graph.nodes[partner].get("partner_type")) in partial
        for shelter, partner in ((first, second), (second, first))
    )


def filter_network(
    graph: nx.Graph, map_filter: MapFilter, findings: Iterable[Finding] = ()
) -> nx.Graph:
    """The part of the region's network the filter shows (a new graph; node data kept).

    Shelters are always shown. With an edge filter active, partners left without an edge are
    dropped, except, in "only shortfalls" mode, organisations without any current agreement.

    >>> g = nx.Graph()
    >>> g.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    >>> g.add_node("VT", partner_type="veilig_thuis", is_shelter=False)
    >>> g.add_node("School", partner_type="onderwijs", is_shelter=False)
    >>> g.add_edge("Opvang", "VT", status="schriftelijk", agreement_types=("meldcode",))
    >>> g.add_edge("Opvang", "School", status="mondeling", agreement_types=("onderwijs",))
    >>> sorted(filter_network(g, MapFilter(only_shortfalls=True)).nodes)
    ['Opvang', 'School']
    >>> sorted(filter_network(g, MapFilter(partner_types=("veilig_thuis",))).nodes)
    ['Opvang', 'VT']
    """
    types = set(map_filter.partner_types)
    statuses = set(map_filter.statuses)
    partial = _partial_pairs(findings) if map_filter.only_shortfalls else set()

    def node_shown(node: str) -> bool:
        data = graph.nodes[node]
        return bool(data.get("is_shelter")) or not types or data.get("partner_type") in types

    kept = nx.Graph()
    kept.graph.update(graph.graph)
    for node in graph.nodes:
        if node_shown(node):
            kept.add_node(node, **graph.nodes[node])
    for first, second, data in graph.edges(data=True):
        if first not in kept or second not in kept:
            continue
        if map_filter.agreement_type and map_filter.agreement_type not in data.get(
            "agreement_types", ()
        ):
            continue
        if statuses and data.get("status") not in statuses:
            continue
        if map_filter.only_shortfalls and not _edge_falls_short(graph, first, second, partial):
            continue
        kept.add_edge(first, second, **data)
    if map_filter.filters_edges:
        for node in list(kept.nodes):
            data = kept.nodes[node]
            if data.get("is_shelter") or kept.degree(node) > 0:
                continue
            if map_filter.only_shortfalls and graph.degree(node) == 0:
                continue  # no current agreement at all: that falls short too
            kept.remove_node(node)
    return kept


def shown_missing_types(missing: Iterable[str], map_filter: MapFilter) -> list[str]:
    """The required partner types no shelter reaches that the filter lets through.

    >>> shown_missing_types(["huisarts", "schuldhulp"], MapFilter(partner_types=("huisarts",)))
    ['huisarts']
    """
    types = set(map_filter.partner_types)
    return sorted(code for code in missing if not types or code in types)


def partner_type_options(graph: nx.Graph, missing: Iterable[str] = ()) -> list[str]:
    """The partner types the map can filter on: those of the region's partners and those the
    norm requires that no shelter has (``missing``); shelter types left out, in code-list order.

    >>> g = nx.Graph()
    >>> g.add_node("Opvang", partner_type="vrouwenopvang")
    >>> g.add_node("VT", partner_type="veilig_thuis")
    >>> partner_type_options(g, ["huisarts"])
    ['veilig_thuis', 'huisarts']
    """
    present = {data.get("partner_type") for _, data in graph.nodes(data=True)}
    wanted = present | set(missing)
    return [code for code in PARTNER_TYPES if code not in SHELTER_TYPES and code in wanted]


def select_node_findings(graph: nx.Graph, node: str, findings: Iterable[Finding]) -> list[Finding]:
    """The norm findings about one organisation of the map: a shelter's own findings; for a
    partner, every shelter's findings on the requirements for its partner type.

    >>> g = nx.Graph()
    >>> g.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    >>> g.add_node("VT", partner_type="veilig_thuis", is_shelter=False)
    >>> f = [Finding("Opvang", "veilig_thuis", "meldcode", "4.3", "met", ""),
    ...      Finding("Opvang", "politie", "veiligheid", "4.2b", "missing", "")]
    >>> len(select_node_findings(g, "Opvang", f)), len(select_node_findings(g, "VT", f))
    (2, 1)
    """
    data = graph.nodes[node]
    if data.get("is_shelter"):
        return [f for f in findings if f.organisation == node]
    return [f for f in findings if f.partner_type == data.get("partner_type")]


#: Why a line on the map falls short, in the order a line is classified (the first that applies).
SHORTFALL_KINDS: tuple[str, ...] = ("niet_schriftelijk", "evaluatie", "kindspecifiek", "anders")


def _shortfall_kind(status: object, reason: str) -> str:
    if status not in DEMONSTRABLE_STATUSES:
        return "niet_schriftelijk"
    if "geëvalueerd" in reason or "ingegaan" in reason:
        return "evaluatie"
    if "kinderen" in reason:
        return "kindspecifiek"
    return "anders"


def shortfall_reasons(
    graph: nx.Graph, findings: Iterable[Finding]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Why each line of the map falls short: (sorted pair of names) → (kind, reason).

    A line between a shelter and a partner falls short when its strongest agreement is not
    written (kind ``niet_schriftelijk``) or when the shelter's finding for the partner's type is
    ``partial``: then the kind says what the finding misses (``evaluatie``: not evaluated or
    started within the window; ``kindspecifiek``: not specific for children; ``anders``) and the
    reason is the finding's own text. Lines that do not fall short are left out.

    >>> g = nx.Graph()
    >>> g.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    >>> g.add_node("VT", partner_type="veilig_thuis", is_shelter=False)
    >>> g.add_node("School", partner_type="onderwijs", is_shelter=False)
    >>> g.add_edge("Opvang", "VT", status="schriftelijk")
    >>> g.add_edge("Opvang", "School", status="mondeling")
    >>> f = [Finding("Opvang", "veilig_thuis", "meldcode", "4.3", "partial",
    ...              "VT; nooit geëvalueerd")]
    >>> shortfall_reasons(g, f)[("Opvang", "VT")]
    ('evaluatie', 'VT; nooit geëvalueerd')
    >>> shortfall_reasons(g, f)[("Opvang", "School")][0]
    'niet_schriftelijk'
    """
    partial: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        if finding.status == "partial":
            partial.setdefault((finding.organisation, finding.partner_type), []).append(
                finding.reason
            )
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for first, second, data in graph.edges(data=True):
        pair = (first, second) if first < second else (second, first)
        status = data.get("status")
        reasons: list[str] = []
        for shelter, partner in ((first, second), (second, first)):
            if graph.nodes[shelter].get("is_shelter"):
                kind = graph.nodes[partner].get("partner_type")
                reasons += partial.get((shelter, kind), []) + partial.get((shelter, "*"), [])
        if status not in DEMONSTRABLE_STATUSES:
            word = {"mondeling": "alleen mondeling", "in_ontwikkeling": "nog in ontwikkeling"}
            out[pair] = ("niet_schriftelijk", f"Afspraak {word.get(status, 'niet schriftelijk')}")
        elif reasons:
            text = "; ".join(dict.fromkeys(reasons))
            out[pair] = (_shortfall_kind(status, text), text)
    return out


def ego_network(
    graph: nx.Graph, organisation: str, findings: Iterable[Finding] = ()
) -> tuple[nx.Graph, list[str]]:
    """One organisation with only its own partners (an "ego view"), and for a shelter the
    partner types the norm requires that it has no current agreement with (its placeholders).

    >>> g = nx.Graph([("Opvang", "VT"), ("Andere opvang", "School")])
    >>> g.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    >>> f = [Finding("Opvang", "huisarts", "zorg", "4.2a", "missing", "")]
    >>> ego, holes = ego_network(g, "Opvang", f)
    >>> sorted(ego.nodes), holes
    (['Opvang', 'VT'], ['huisarts'])
    """
    if organisation not in graph:
        return graph.subgraph(()).copy(), []
    keep = [organisation, *graph.neighbors(organisation)]
    ego = graph.subgraph(keep).copy()
    ego.remove_edges_from([(a, b) for a, b in list(ego.edges) if organisation not in (a, b)])
    holes: list[str] = []
    if graph.nodes[organisation].get("is_shelter"):
        reached = {graph.nodes[n].get("partner_type") for n in ego.nodes if n != organisation}
        wanted = {
            f.partner_type
            for f in findings
            if f.organisation == organisation and f.status == "missing" and f.partner_type != "*"
        }
        holes = sorted(code for code in wanted if code not in reached)
    return ego, holes


def changed_pairs(
    links: dict[str, list[dict]], graph: nx.Graph
) -> dict[str, list[tuple[str, str]]]:
    """The connections of the map that links were ``added`` to or ``ended`` in, from the
    ``agreements`` part of a ``ketenkaart.changes/1`` document, as pairs of the map's own names
    (matched on the normalised name; an organisation no longer on the map keeps its name and
    is not drawn). A pair counts as ended only when no current link joins it any more.

    >>> g = nx.Graph([("Opvang A", "Veilig Thuis")])
    >>> links = {"added": [{"organisation": "opvang a", "partner": "Veilig  Thuis"}],
    ...          "ended": [{"organisation": "Opvang A", "partner": "School"}]}
    >>> changed_pairs(links, g)
    {'added': [('Opvang A', 'Veilig Thuis')], 'ended': [('Opvang A', 'School')]}
    """
    names = {normalize_name(node): node for node in graph.nodes}

    def pair(entry: dict) -> tuple[str, str]:
        first = names.get(normalize_name(entry["organisation"]), entry["organisation"])
        second = names.get(normalize_name(entry["partner"]), entry["partner"])
        return (first, second)

    added = sorted({pair(e) for e in links.get("added", ())})
    ended = sorted({p for p in map(pair, links.get("ended", ())) if not graph.has_edge(*p)})
    return {"added": added, "ended": ended}
